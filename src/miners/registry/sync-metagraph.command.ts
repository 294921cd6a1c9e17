import { Command, CommandRunner } from 'nest-commander';
import { renderTable } from '../../common/table';
import { MinerRegistryService } from './miner-registry.service';

const TAO = 1_000_000_000n;

/** Stake in TAO/alpha with 9 decimals, exact. */
export function formatRao(rao: bigint): string {
  const whole = rao / TAO;
  const frac = (rao % TAO).toString().padStart(9, '0');
  return `${whole}.${frac}`;
}

@Command({ name: 'sync-metagraph', description: 'Sync the metagraph into the miner table once and print the miners' })
export class SyncMetagraphCommand extends CommandRunner {
  constructor(private readonly registry: MinerRegistryService) {
    super();
  }

  async run(): Promise<void> {
    const outcome = await this.registry.syncMetagraph();
    if (!outcome.ran) {
      process.stderr.write(`sync skipped: ${outcome.reason}\n`);
      process.exitCode = 1;
      return;
    }
    const r = outcome.result;
    const rows = await this.registry.listAll();
    process.stdout.write(
      `${renderTable(
        ['uid', 'hotkey', 'coldkey', 'address', 'port', 'ip', 'stake', 'permit', 'in metagraph'],
        rows.map((m) => [m.uid, m.hotkey, m.coldkey, m.address, m.port, `v${m.ipVersion}`, formatRao(m.stake), m.validatorPermit ? 'yes' : 'no', m.inMetagraph ? 'yes' : 'no']),
      )}\n`,
    );
    process.stdout.write(
      `block ${r.block}: ${r.neurons} neurons, ${r.newNeurons} new, ${r.updatedNeurons} updated, ${r.leftMetagraph} left the metagraph\n`,
    );
  }
}
