import { createHash } from 'crypto';
import type { V0JobRequest } from '../../protocol';
import type { SimulatedJobOutput, SimulatedJobRunner, VolumeContents } from './job-runner';

/** A devnet image whose job hashes its input volume: a real computation tests can check independently. */
export const DEVNET_ECHO_HASH_IMAGE = 'computehorde-devnet/echo-hash';

/** The expected stdout of an echo-hash job, computed from the inputs (tests use it to check answers). */
export function echoHashAnswer(args: readonly string[], volume: VolumeContents): string {
  const lines = [...volume.keys()].sort().map((path) => `${createHash('sha256').update(volume.get(path) as Buffer).digest('hex')}  ${path}`);
  return [`args: ${JSON.stringify(args)}`, ...lines, ''].join('\n');
}

export class EchoHashRunner implements SimulatedJobRunner {
  readonly name = 'echo-hash';
  canRun(job: V0JobRequest): boolean {
    return job.docker_image === DEVNET_ECHO_HASH_IMAGE || job.docker_image.startsWith(`${DEVNET_ECHO_HASH_IMAGE}:`);
  }
  async run(job: V0JobRequest, volume: VolumeContents): Promise<SimulatedJobOutput> {
    const answer = echoHashAnswer(job.docker_run_cmd, volume);
    return {
      stdout: answer,
      stderr: '',
      outputFiles: { 'hashes.txt': answer },
      artifacts: { 'hashes.txt': answer },
    };
  }
}
