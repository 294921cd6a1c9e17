import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, getProcessConfig } from './app-config';
import { Clock, SystemClock } from './clock';

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
      ],
      exports: [AppConfig, Clock],
    };
  }
}
