import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { AppConfig, getProcessConfig } from './app-config';
import { Clock, SystemClock } from './clock';

/**
 * Provides the validated AppConfig and the Clock to every module. AppConfig.warnings (one line per
 * variable without effect, the database choice) are logged when the config is first injected:
 * before the database connects, so they show even when that fails.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        {
          provide: AppConfig,
          useFactory: () => {
            const resolved = config ?? getProcessConfig();
            const logger = new Logger('Config');
            for (const w of resolved.warnings) logger.warn(w);
            return resolved;
          },
        },
        { provide: Clock, useClass: SystemClock },
      ],
      exports: [AppConfig, Clock],
    };
  }
}
