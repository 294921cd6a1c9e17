import { isPlainObject, type ModelClass } from './model';

/**
 * The messages a batch receives thousands of times (accept, executor ready, job finished, ...) have
 * only string fields. For a frame that is plainly valid, building the instance directly gives what
 * class-transformer + class-validator would give (decorated fields, class defaults, unknown keys
 * dropped) at a fraction of the cost. Anything else — a missing field, a wrong type — returns null
 * and goes the full way, which also writes the error. parse-fast-path.spec.ts checks both ways agree.
 */
interface StringModelShape {
  required: readonly string[];
  /** Absent keeps the class default (null); null or a string is taken. */
  optional: readonly string[];
  /** Absent keeps the default; null or an object of strings is taken (copied). */
  optionalStringRecords?: readonly string[];
}

export const FAST_MINER_MESSAGE_SHAPES: Readonly<Record<string, StringModelShape>> = {
  V0AcceptJobRequest: { required: ['job_uuid'], optional: [] },
  V0ExecutorReadyRequest: { required: ['job_uuid'], optional: ['executor_token'] },
  V0ExecutorFailedRequest: { required: ['job_uuid'], optional: ['executor_token'] },
  V0StreamingJobNotReadyRequest: { required: ['job_uuid'], optional: ['executor_token'] },
  V0VolumesReadyRequest: { required: ['job_uuid'], optional: [] },
  V0ExecutionDoneRequest: { required: ['job_uuid'], optional: [] },
  V0JobFinishedRequest: { required: ['job_uuid', 'docker_process_stdout', 'docker_process_stderr'], optional: [], optionalStringRecords: ['artifacts', 'upload_results'] },
};

export function fastParseStringModel<T extends object>(cls: ModelClass<T>, shape: StringModelShape, plain: Record<string, unknown>): T | null {
  for (const f of shape.required) if (typeof plain[f] !== 'string') return null;
  for (const f of shape.optional) {
    const v = plain[f];
    if (v !== undefined && v !== null && typeof v !== 'string') return null;
  }
  for (const f of shape.optionalStringRecords ?? []) {
    const v = plain[f];
    if (v !== undefined && v !== null && !isStringRecord(v)) return null;
  }
  const instance = new cls() as Record<string, unknown>;
  for (const f of shape.required) instance[f] = plain[f];
  for (const f of shape.optional) if (plain[f] !== undefined) instance[f] = plain[f];
  for (const f of shape.optionalStringRecords ?? []) {
    const v = plain[f];
    if (v !== undefined) instance[f] = v === null ? null : { ...(v as Record<string, string>) };
  }
  return instance as T;
}

function isStringRecord(v: unknown): v is Record<string, string> {
  if (!isPlainObject(v)) return false;
  for (const k in v) if (typeof v[k] !== 'string') return false;
  return true;
}
