import type { V0JobRequest } from '../../protocol';
import type { SimulatedJobContext, SimulatedJobOutput, SimulatedJobRunner, VolumeContents } from '../miners/job-runner';
import { HASHCAT_V0_IMAGE, HASHCAT_V1_IMAGE } from '../../synthetic-jobs/generators/hashcat/hashcat-generator';
import { readZip } from '../../common/zip';
import { solveHashcatPayload } from './hashcat-solver';

/**
 * Simulated executor for the synthetic hashcat images (compute-horde-job v0/v1): cracks the payload
 * on the CPU from the job's own volume and command, as the real image would on a GPU. Only practical
 * at the devnet difficulty (DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY=devnet|minimal on the validator).
 */
export class HashcatRunner implements SimulatedJobRunner {
  readonly name = 'hashcat';

  canRun(job: V0JobRequest): boolean {
    return job.docker_image === HASHCAT_V0_IMAGE || job.docker_image === HASHCAT_V1_IMAGE;
  }

  async run(job: V0JobRequest, volume: VolumeContents, ctx: SimulatedJobContext): Promise<SimulatedJobOutput> {
    let payload = volume.get('payload.txt');
    const early = ctx.initial.volume as { volume_type?: string; contents?: string } | null | undefined;
    if (!payload && early?.volume_type === 'inline' && typeof early.contents === 'string') {
      payload = readZip(Buffer.from(early.contents, 'base64')).get('payload.txt');
    }
    if (!payload) return { stdout: '', stderr: 'payload.txt: No such file or directory', exitCode: 1 };
    try {
      return { stdout: solveHashcatPayload(payload, job.docker_run_cmd) };
    } catch (e) {
      return { stdout: '', stderr: (e as Error).message, exitCode: 1 };
    }
  }
}
