import { DynamicModule, Module } from '@nestjs/common';
import { AppModuleOptions, coreImports } from './app.module';
import { CONFIG_COMMANDS } from './config/commands/config.command';
import { EvictOldDataCommand } from './database/eviction/evict-old-data.command';
import { CHAIN_COMMANDS } from './chain/commands';
import { MINERS_COMMANDS } from './miners/commands';
import { SYNTHETIC_COMMANDS } from './synthetic-jobs/commands';
import { ORGANIC_COMMANDS } from './organic-jobs/commands';
import { RECEIPTS_COMMANDS } from './receipts/commands';
import { WEIGHTS_COMMANDS } from './weights/commands';
import { S3_COMMANDS } from './s3/commands';
import { COLLATERAL_COMMANDS } from './collateral/commands';
import { DEVNET_COMMANDS } from './devnet/commands';

/**
 * validator-cli: the daemon's modules without the schedules and the HTTP server, plus commands.
 * A command calls the same services the daemon runs.
 */
@Module({})
export class CliModule {
  static forRoot(opts: AppModuleOptions = {}): DynamicModule {
    return {
      module: CliModule,
      imports: coreImports({ logToStderr: true, ...opts }),
      providers: [
        ...CONFIG_COMMANDS,
        EvictOldDataCommand,
        ...CHAIN_COMMANDS,
        ...MINERS_COMMANDS,
        ...SYNTHETIC_COMMANDS,
        ...ORGANIC_COMMANDS,
        ...RECEIPTS_COMMANDS,
        ...WEIGHTS_COMMANDS,
        ...S3_COMMANDS,
        ...COLLATERAL_COMMANDS,
        ...DEVNET_COMMANDS,
      ],
    };
  }
}
