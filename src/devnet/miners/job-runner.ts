import type { V0InitialJobRequest, V0JobRequest } from '../../protocol';

/**
 * What a simulated executor runs. A runner plays the part of one or more docker images: it computes the
 * job's answer from the job request and its input volume only (never from validator state), the way the
 * real job container would.
 */

/** Files of the job's input volume(s): path relative to /volume -> content. */
export type VolumeContents = ReadonlyMap<string, Buffer>;

export interface SimulatedJobContext {
  initial: V0InitialJobRequest;
  signal: AbortSignal;
}

export interface SimulatedJobOutput {
  stdout: string;
  stderr?: string;
  /** Non-zero ends the job with V0JobFailedRequest(nonzero_return_code, stage execution). Default 0. */
  exitCode?: number;
  /** Files the job wrote to /output (relative path -> content); stdout.txt and stderr.txt are added. */
  outputFiles?: Record<string, Buffer | string>;
  /** Files the job wrote to artifacts_dir (file name -> content); returned inline, base64. */
  artifacts?: Record<string, Buffer | string>;
}

export interface SimulatedJobRunner {
  /** For logs and the CLI table. */
  readonly name: string;
  /** True if this runner plays the job's docker image (and can run this job). */
  canRun(job: V0JobRequest): boolean;
  run(job: V0JobRequest, volume: VolumeContents, ctx: SimulatedJobContext): Promise<SimulatedJobOutput>;
  /** Server mode of a streaming job (e.g. the prompt solver's `--server`): true if this runner serves `job`. */
  canServe?(job: V0JobRequest): boolean;
  /**
   * POST /execute-job of a served job: computes the job's /output files from the request body and
   * returns them with the JSON answer of the endpoint.
   */
  execute?(job: V0JobRequest, volume: VolumeContents, body: unknown, ctx: SimulatedJobContext): Promise<StreamingExecution>;
}

export interface StreamingExecution {
  /** Files the job wrote to /output (relative path -> content). */
  outputFiles: Record<string, Buffer | string>;
  /** JSON body of the 200 answer to /execute-job. */
  response: Record<string, unknown>;
  stdout?: string;
}

/** Runners tried in order; the first whose canRun() is true runs the job. */
export class SimulatedJobRunnerRegistry {
  private readonly runners: SimulatedJobRunner[] = [];
  constructor(runners: Iterable<SimulatedJobRunner> = []) {
    for (const r of runners) this.register(r);
  }
  register(runner: SimulatedJobRunner): this {
    this.runners.push(runner);
    return this;
  }
  find(job: V0JobRequest): SimulatedJobRunner | undefined {
    return this.runners.find((r) => {
      try {
        return r.canRun(job);
      } catch {
        return false;
      }
    });
  }
  /** The first runner that serves `job` in server mode (streaming jobs). */
  findServer(job: V0JobRequest): SimulatedJobRunner | undefined {
    return this.runners.find((r) => {
      try {
        return r.canServe?.(job) === true && r.execute !== undefined;
      } catch {
        return false;
      }
    });
  }
  get names(): string[] {
    return this.runners.map((r) => r.name);
  }
}
