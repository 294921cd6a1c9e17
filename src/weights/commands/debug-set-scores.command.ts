import { Command, CommandRunner } from 'nest-commander';
import { renderTable } from '../../common/table';
import { WeightSettingService } from '../setting/weight-setting.service';

/** `debug_set_scores`: run `set_scores` once now and print the uid/weight table it set. */
@Command({ name: 'debug-set-scores', description: 'run one weight-setting round now (same gating as the daemon) and print the weights it set' })
export class DebugSetScoresCommand extends CommandRunner {
  constructor(private readonly weights: WeightSettingService) {
    super();
  }

  async run(): Promise<void> {
    const result = await this.weights.setScores();
    const head = result.head === undefined ? '' : ` at block ${result.head}`;
    process.stdout.write(`set_scores: ${result.outcome}${head}${result.detail ? ` (${result.detail})` : ''}\n`);
    const row = result.row;
    if (row) {
      process.stdout.write(
        `cycle [${row.cycleStart}, ${row.cycleStop}), ${row.mode}, status ${row.status}, version key ${row.versionKey}` +
          `${row.commitHash ? `, commit ${row.commitHash}` : ''}${row.block !== null ? `, landed at block ${row.block}` : ''}\n`,
      );
      const rows = row.uids.map((uid, i) => [uid, row.weights[i], row.floatWeights[i]?.toFixed(8)]);
      process.stdout.write(`${renderTable(['uid', 'weight (u16)', 'weight'], rows)}\n`);
    }
    if (['error', 'failed', 'chain-unavailable'].includes(result.outcome)) process.exitCode = 1;
  }
}
