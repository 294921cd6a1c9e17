import type { ExecutorClass } from '../../protocol';
import type { SystemEventInput } from '../../observability/system-events/system-events.service';
import { EXCUSE_RULES, filterValidExcuseReceipts } from '../../protocol/excuses';
import { judgeJob, type Verdict } from './job-verdict';
import type { BatchEngineConfig, JobOutcome } from './batch-engine-types';
import { LLM_CLASS, type JobState } from './batch-run-state';

/**
 * Stage 8 for one job: the excuse check of a busy decline (against the other jobs of the same miner
 * and class), the verdict (a throwing verifier is a NOT_SCORED failure, not a crashed batch) and the
 * verdict's events.
 */
export function judgeBatchJob(
  job: JobState,
  all: JobState[],
  limitedCounts: ReadonlyMap<string, ReadonlyMap<ExecutorClass, number>>,
  cfg: BatchEngineConfig,
  allowed: Set<string>,
  ev: (e: SystemEventInput) => void,
): JobOutcome {
  let excuse: { validExcuses: number; acceptedSameClass: number; expected: number } | undefined;
  let excusedBy: string[] = [];
  if (job.obs.accept?.kind === 'decline' && job.obs.accept.reason === 'busy' && job.startedReceipt) {
    const valid = filterValidExcuseReceipts(job.declineReceipts, {
      checkTime: job.startedReceipt.timestamp, declinedJobUuid: job.uuid, minerHotkey: job.miner.hotkey, executorClass: job.executorClass,
      allowedValidators: allowed, ...EXCUSE_RULES.synthetic, rejectDuplicates: cfg.rejectDuplicateExcuses,
    });
    excusedBy = [...new Set(valid.map((r) => r.payload.validator_hotkey))];
    excuse = {
      validExcuses: valid.length,
      acceptedSameClass: all.filter((o) => o.miner.hotkey === job.miner.hotkey && o.executorClass === job.executorClass && o.obs.accept?.kind === 'accept').length,
      expected: limitedCounts.get(job.miner.hotkey)?.get(job.executorClass) ?? 0,
    };
  }
  let verdict: Verdict;
  try {
    verdict = judgeJob({
      job: job.obs, excuse, excusedScore: cfg.excusedScore, verifyTime: (s) => job.gen.verifyTime(s),
      verifyCorrectness: () => {
        const r = job.obs.response;
        return r?.kind === 'finished' ? job.gen.verifyCorrectness({ stdout: r.stdout, rawMessage: r.rawMessage }) : { correct: false, comment: 'no result' };
      },
    });
  } catch (e) {
    ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'MINER_SCORING_ERROR', description: (e as Error).message, data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid } });
    verdict = { status: 'FAILED', score: 0, success: false, excused: false, correct: null, comment: `scoring error: ${(e as Error).message}`, failureKind: 'NOT_SCORED', timeTookSeconds: null, event: null };
  }
  if (verdict.event) {
    const success = verdict.event === 'SUCCESS';
    ev({
      type: success ? 'MINER_SYNTHETIC_JOB_SUCCESS' : 'MINER_SYNTHETIC_JOB_FAILURE',
      subtype: verdict.event,
      description: verdict.event === 'JOB_EXCUSED' ? 'excused' : verdict.event === 'JOB_REJECTED' ? 'declined' : verdict.comment.slice(0, 1000),
      data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, executor_class: job.executorClass, ...(verdict.event === 'JOB_EXCUSED' ? { excused_by: excusedBy } : {}) },
    });
  }
  if (job.executorClass === LLM_CLASS && verdict.failureKind === 'WRONG_ANSWER') {
    ev({
      type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'LLM_PROMPT_ANSWERS_MISSING', description: verdict.comment,
      data: { miner_hotkey: job.miner.hotkey, job_uuid: job.uuid, answers_url: (job.gen as { answersUrl?: string }).answersUrl ?? null },
    });
  }
  return { jobUuid: job.uuid, miner: job.miner, executorClass: job.executorClass, description: job.gen.description, verdict, receipts: job.receipts, signed: job.signed, excusedBy };
}
