import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createDataSource, CreatedDataSource, DatabaseTarget, databaseTargetFromConfig, describeTarget } from './data-source.factory';
import { ExclusiveRunner } from './exclusive-runner.service';
import type { DatabaseSchema } from './schema';

const CREATED = Symbol('CreatedDataSource');

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CREATED) private readonly created: CreatedDataSource) {}
  async onApplicationShutdown(): Promise<void> {
    await this.created.close();
  }
}

/**
 * The one TypeORM DataSource of the process: PostgreSQL when AppConfig.database has a URL
 * (DATABASE_POOL_URL, DATABASE_URL or the POSTGRES_PASSWORD default), the embedded PostgreSQL server
 * under DATA_DIR otherwise. Migrations run before any other provider is built. The entities and
 * migrations come from the caller (`schema`: the composition root passes APP_SCHEMA), else from
 * registerDatabaseSchema: this module knows no feature table.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(override?: DatabaseTarget, schema?: DatabaseSchema): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: CREATED,
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            const target = override ?? databaseTargetFromConfig({ DATABASE_URL: config.database.url, DATA_DIR: config.core.DATA_DIR });
            const logger = new Logger('Database');
            logger.log(`using ${describeTarget(target)}; running migrations`);
            const created = await createDataSource(target, { schema });
            logger.log('database ready');
            return created;
          },
        },
        { provide: DataSource, inject: [CREATED], useFactory: (c: CreatedDataSource) => c.dataSource },
        DatabaseLifecycle,
        ExclusiveRunner,
      ],
      exports: [DataSource, ExclusiveRunner],
    };
  }
}
