import type { CliCommandEntry } from '../common/cli-command-entry';
import { CONFIG_COMMANDS } from '../config/commands';
import { RETENTION_COMMANDS } from '../retention/commands';
import { CHAIN_COMMANDS } from '../chain/commands';
import { MINERS_COMMANDS } from '../miners/commands';
import { SYNTHETIC_COMMANDS } from '../synthetic-jobs/commands';
import { ORGANIC_COMMANDS } from '../organic-jobs/commands';
import { RECEIPTS_COMMANDS } from '../receipts/commands';
import { WEIGHTS_COMMANDS } from '../weights/commands';
import { S3_COMMANDS } from '../s3/commands';
import { COLLATERAL_COMMANDS } from '../collateral/commands';
import { DEVNET_COMMANDS } from '../devnet/commands';
import { withCollateralGate } from './with-collateral-gate';

/**
 * Every validator-cli command. Each module lists its own in `commands/index.ts`; those files import
 * nothing at run time but their lazy loaders, so this list costs nothing to load.
 */
export const CLI_COMMANDS: readonly CliCommandEntry[] = [
  ...CONFIG_COMMANDS,
  ...RETENTION_COMMANDS,
  ...CHAIN_COMMANDS,
  ...MINERS_COMMANDS,
  ...SYNTHETIC_COMMANDS,
  // organic-jobs injects the CollateralGate port; the CLI, like the daemon, binds the contract's gate.
  ...ORGANIC_COMMANDS.map(withCollateralGate),
  ...RECEIPTS_COMMANDS,
  ...WEIGHTS_COMMANDS,
  ...S3_COMMANDS,
  ...COLLATERAL_COMMANDS,
  ...DEVNET_COMMANDS,
];
