import { DynamicModule, Global, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, getProcessConfig } from './app-config';
import { Clock, SystemClock } from './clock';

/** Logs AppConfig.warnings once at start: one line per variable without effect or with a surprising one. */
@Injectable()
export class ConfigWarnings implements OnApplicationBootstrap {
  private readonly logger = new Logger('Config');
  constructor(private readonly config: AppConfig) {}
  onApplicationBootstrap(): void {
    for (const w of this.config.warnings) this.logger.warn(w);
  }
}

/** Provides the validated AppConfig and the Clock to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useFactory: () => config ?? getProcessConfig() },
        { provide: Clock, useClass: SystemClock },
        ConfigWarnings,
      ],
      exports: [AppConfig, Clock],
    };
  }
}
