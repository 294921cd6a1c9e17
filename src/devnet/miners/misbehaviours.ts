import type { Clock } from '../../config/clock';
import type { StageDelays } from './behaviour';
import type { SimulatedJobOutput } from './job-runner';
import type { SimulatedJob } from './simulated-job';
import type { ValidatorSession } from './validator-session';

/** 'garbage': `count` malformed frames (broken JSON, unknown or incomplete messages, every 7th one binary). */
export function sendGarbage(session: ValidatorSession, count: number): void {
  const frames = ['{"message_type":', 'not json at all', '{"message_type":"V0AcceptJobRequest"}', '{"message_type":"NoSuchMessage","job_uuid":"x"}', '[1,2,3]', '{"message_type":"V0JobFinishedRequest","job_uuid":1}'];
  for (let i = 0; i < count; i++) {
    if (session.ws.readyState !== session.ws.OPEN) return;
    if (i % 7 === 6) session.ws.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true });
    else session.ws.send(frames[i % frames.length]);
  }
}

/** 'wrong-answer': the real output with stdout, output files and artifacts changed. */
export function corrupt(output: SimulatedJobOutput): SimulatedJobOutput {
  const flip = (v: Buffer | string): Buffer => Buffer.from(Buffer.from(v).map((b) => b ^ 0x5a));
  const mapValues = (r: Record<string, Buffer | string> | undefined) => (r ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, flip(v)])) : r);
  return { ...output, stdout: `wrong answer ${output.stdout.split('').reverse().join('')}`, outputFiles: mapValues(output.outputFiles), artifacts: mapValues(output.artifacts) };
}

/** 'slow': waits the stage's delay; throws when the job is aborted meanwhile. */
export async function slowDown(clock: Clock, job: SimulatedJob, stage: keyof StageDelays): Promise<void> {
  const b = job.executor.behaviour;
  if (b.kind === 'slow' && b.delaysMs[stage]) await clock.sleep(b.delaysMs[stage] as number, job.abort.signal);
}

/** slowDown, then false when the job was aborted (the job then stops without another message). */
export async function slowDownOk(clock: Clock, job: SimulatedJob, stage: keyof StageDelays): Promise<boolean> {
  try {
    await slowDown(clock, job, stage);
    return !job.abort.signal.aborted;
  } catch {
    return false;
  }
}
