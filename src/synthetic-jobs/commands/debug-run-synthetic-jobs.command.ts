import { Logger } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { SyntheticChainReader } from '../calendar/synthetic-chain.reader';
import { SyntheticBatchRunnerService } from '../batch-run/batch-runner.service';
import { SyntheticMinersService } from '../participants/synthetic-miners.service';
import { progressPrinter, renderBatchReport } from './batch-report';

async function createDebugBatch(chain: SyntheticChainReader, runner: SyntheticBatchRunnerService) {
  const block = await chain.currentBlock();
  return runner.createBatch(block, { shouldBeScored: false, failIfExists: true });
}

@Command({
  name: 'debug-run-synthetic-jobs',
  description: 'create a synthetic batch at the current block and run it now against all serving miners (or DEBUG_MINER_KEY/_ADDRESS/_PORT/_COUNT)',
})
export class DebugRunSyntheticJobsCommand extends CommandRunner {
  private readonly logger = new Logger('debug-run-synthetic-jobs');
  constructor(private readonly chain: SyntheticChainReader, private readonly runner: SyntheticBatchRunnerService) {
    super();
  }

  async run(): Promise<void> {
    const onSigint = () => {
      process.stderr.write('Interrupted by user\n');
      process.exit(1);
    };
    process.once('SIGINT', onSigint);
    try {
      const batch = await createDebugBatch(this.chain, this.runner);
      process.stderr.write(`running batch ${batch.id} at block ${batch.block}\n`);
      const report = await this.runner.runBatch(batch.id, { onProgress: progressPrinter() });
      process.stdout.write(renderBatchReport(report));
    } catch (e) {
      // Deviation: the reference logs a warning and exits 0; a batch that could not run exits 1 here.
      this.logger.warn(`command failed with exception: ${(e as Error).message}`);
      process.stderr.write(`command failed with exception: ${(e as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  }
}

@Command({
  name: 'debug-run-synthetic-job-to-miner',
  description: 'create a synthetic batch at the current block and run it against one miner (only this validator\'s receipts can excuse)',
})
export class DebugRunSyntheticJobToMinerCommand extends CommandRunner {
  private readonly logger = new Logger('debug-run-synthetic-job-to-miner');
  constructor(
    private readonly chain: SyntheticChainReader,
    private readonly runner: SyntheticBatchRunnerService,
    private readonly miners: SyntheticMinersService,
  ) {
    super();
  }

  @Option({ flags: '--miner-hotkey <hotkey>', description: 'hotkey of the miner (required)', required: true })
  parseMinerHotkey(v: string): string {
    return v;
  }

  async run(_args: string[], opts: { minerHotkey?: string }): Promise<void> {
    const hotkey = opts.minerHotkey ?? '';
    const miner = await this.miners.minerByHotkey(hotkey);
    if (!miner) {
      process.stdout.write(`Miner with hotkey ${hotkey} not found\n`);
      process.exitCode = 1;
      return;
    }
    const onSigint = () => {
      process.stderr.write('Interrupted by user\n');
      process.exit(1);
    };
    process.once('SIGINT', onSigint);
    try {
      const batch = await createDebugBatch(this.chain, this.runner);
      process.stderr.write(`running batch ${batch.id} at block ${batch.block} against ${miner.hotkey} (${miner.address}:${miner.port})\n`);
      const report = await this.runner.runBatch(batch.id, { miners: [miner], activeValidators: [], onProgress: progressPrinter() });
      process.stdout.write(renderBatchReport(report));
    } catch (e) {
      this.logger.error(`command failed with exception: ${(e as Error).message}`);
      process.stderr.write(`command failed with exception: ${(e as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  }
}
