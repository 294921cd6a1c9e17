import { DynamicModule, Global, Module } from '@nestjs/common';

/** Which program this process is; the daemon unless the CLI provides `'cli'`. */
export type ProcessRole = 'daemon' | 'cli';
export const PROCESS_ROLE = Symbol('ProcessRole');

/** validator-cli provides `'cli'`: start-up problems that only matter to the daemon stay quiet until used. */
@Global()
@Module({})
export class ProcessRoleModule {
  static forRoot(role: ProcessRole): DynamicModule {
    return { module: ProcessRoleModule, providers: [{ provide: PROCESS_ROLE, useValue: role }], exports: [PROCESS_ROLE] };
  }
}
