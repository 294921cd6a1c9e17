import { Command, CommandRunner } from 'nest-commander';
import { renderTable } from '../common/table';
import { EvictionService } from './eviction.service';

@Command({ name: 'evict-old-data', description: 'delete validator data past its retention (organic jobs, receipts, batches, events, ...) once' })
export class EvictOldDataCommand extends CommandRunner {
  constructor(private readonly eviction: EvictionService) {
    super();
  }
  async run(): Promise<void> {
    const report = await this.eviction.evict();
    process.stdout.write(`${renderTable(['what', 'rows deleted'], report.map((r) => [r.what, r.deleted < 0 ? 'FAILED (see log)' : r.deleted]))}\n`);
    if (report.some((r) => r.deleted < 0)) process.exitCode = 1;
  }
}
