import { Command, CommandRunner, Option } from 'nest-commander';
import { AdminJobService, describeStatusUpdate } from '../admin/admin-job.service';

interface Flags {
  minerHotkey?: string;
  executorClass: string;
  timeout?: number;
  dockerImage?: string;
  cmdArgs: string;
  useGpu: boolean;
  inputUrl?: string;
  outputUrl?: string;
  nonzeroIfNotComplete: boolean;
}

@Command({ name: 'debug-run-organic-job', description: 'run one organic job directly on a miner and print every status update' })
export class DebugRunOrganicJobCommand extends CommandRunner {
  constructor(private readonly admin: AdminJobService) {
    super();
  }

  async run(_args: string[], f: Flags): Promise<void> {
    if (f.timeout === undefined || !Number.isInteger(f.timeout) || f.timeout < 0) return this.fail('--timeout is required (a non-negative integer of seconds)');
    if (!f.dockerImage) return this.fail('--docker-image is required');
    const stop = () => process.exit(1);
    process.once('SIGINT', stop);
    try {
      const r = await this.admin.run({
        minerHotkey: f.minerHotkey, executorClass: f.executorClass ?? 'spin_up-4min.gpu-24gb', timeout: f.timeout, dockerImage: f.dockerImage,
        cmdArgs: f.cmdArgs ?? '', useGpu: f.useGpu ?? false, inputUrl: f.inputUrl, outputUrl: f.outputUrl,
      }, (u) => process.stdout.write(describeStatusUpdate(u).join('\n') + '\n'));
      if (!r.ok) return this.fail(r.error);
      process.stdout.write(`Job ${r.jobUuid} done processing\n`);
      if (f.nonzeroIfNotComplete && r.status !== 'COMPLETED') process.exitCode = 1;
    } finally {
      process.off('SIGINT', stop);
    }
  }

  private fail(message: string): void {
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  }

  @Option({ flags: '--miner-hotkey <hotkey>', description: 'miner to run on (default: the first non-blacklisted miner)' })
  parseMinerHotkey(v: string): string { return v; }

  @Option({ flags: '--executor-class <class>', description: 'executor class', defaultValue: 'spin_up-4min.gpu-24gb' })
  parseExecutorClass(v: string): string { return v; }

  @Option({ flags: '--timeout <seconds>', description: 'job timeout in seconds (required)', required: false })
  parseTimeout(v: string): number { return /^\d+$/.test(v) ? Number(v) : NaN; }

  @Option({ flags: '--docker-image <image>', description: 'docker image (required)' })
  parseDockerImage(v: string): string { return v; }

  @Option({ flags: '--cmd-args <args>', description: 'container arguments, split with POSIX shell rules', defaultValue: '' })
  parseCmdArgs(v: string): string { return v; }

  @Option({ flags: '--use-gpu', description: 'run with all GPUs', defaultValue: false })
  parseUseGpu(): boolean { return true; }

  @Option({ flags: '--input-url <url>', description: 'zip URL mounted as the input volume' })
  parseInputUrl(v: string): string { return v; }

  @Option({ flags: '--output-url <url>', description: 'URL the output zip is PUT to' })
  parseOutputUrl(v: string): string { return v; }

  @Option({ flags: '--nonzero-if-not-complete', description: 'exit 1 unless the job completed', defaultValue: false })
  parseNonzero(): boolean { return true; }
}
