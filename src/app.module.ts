import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, getProcessConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DynamicConfigModule } from './config/dynamic/dynamic-config.module';
import { DatabaseModule } from './database/database.module';
import { APP_SCHEMA } from './app-schema';
import type { DatabaseTarget } from './database/data-source.factory';
import { ObservabilityModule } from './observability/observability.module';
import { HealthController } from './observability/health.controller';
import { StatusPageModule } from './status-page/status-page.module';
import { loggerParams } from './observability/logging';
import { ChainModule } from './chain/chain.module';
import { MinersModule } from './miners/miners.module';
import { SyntheticJobsModule } from './synthetic-jobs/synthetic-jobs.module';
import { OrganicJobsModule } from './organic-jobs/organic-jobs.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { WeightsModule } from './weights/weights.module';
import { S3Module } from './s3/s3.module';
import { CollateralModule } from './collateral/collateral.module';
import { StatsUploadModule } from './stats-upload/stats-upload.module';
import { EvictionModule } from './retention/eviction.module';
import { TrustedMinerModule } from './synthetic-jobs/trusted-miner/trusted-miner.module';
import { CollateralGateBinding } from './wiring/collateral-gate.binding';

/** The feature modules; the daemon and the CLI load the very same ones. */
export const FEATURE_MODULES: Type[] = [
  ChainModule,
  MinersModule,
  SyntheticJobsModule,
  OrganicJobsModule,
  ReceiptsModule,
  WeightsModule,
  S3Module,
  CollateralModule,
  TrustedMinerModule,
  StatsUploadModule,
  EvictionModule,
];

export interface AppModuleOptions {
  config?: AppConfig;
  database?: DatabaseTarget;
  /** Logs to stderr (CLI), keeping stdout for results. */
  logToStderr?: boolean;
}

export function coreImports(opts: AppModuleOptions) {
  const config = opts.config ?? getProcessConfig();
  return [
    ConfigModule.forRoot(config),
    LoggerModule.forRoot(loggerParams(config, { toStderr: opts.logToStderr })),
    DatabaseModule.forRoot(opts.database, APP_SCHEMA),
    ObservabilityModule,
    DynamicConfigModule,
    ...FEATURE_MODULES,
    // Ports bound at the root: organic routing's collateral gate is the contract's.
    CollateralGateBinding.forRoot({ collateral: 'contract' }),
  ];
}

/** The daemon: feature modules, periodic schedules and the HTTP server. */
@Module({})
export class AppModule {
  static forRoot(opts: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [...coreImports(opts), ScheduleModule.forRoot(), StatusPageModule],
      controllers: [HealthController],
    };
  }
}
