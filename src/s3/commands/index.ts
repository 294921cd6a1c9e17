import type { CliCommandEntry } from '../../common/cli-command-entry';

/** validator-cli commands of this module (collected by src/cli/registry.ts; loaded only when run). */
export const S3_COMMANDS: CliCommandEntry[] = [
  {
    name: 'check-s3-setup',
    summary: 'check that both S3 buckets accept presigned uploads and serve public downloads',
    database: false,
    load: async () => ({ commands: [(await import('./check-s3-setup.command')).CheckS3SetupCommand] }),
  },
];
