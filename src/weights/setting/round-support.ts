import type { Clock } from '../../config/clock';
import type { SystemEventsService } from '../../observability/system-events/system-events.service';
import type { SystemEventSubtype, SystemEventType } from '../../observability/system-events/system-event.types';
import type { WeightsRow } from '../persistence/weights.entity';
import type { TimelockRecord } from './weights-chain.port';

/** Helpers shared by the set_scores round and the commit follow-up. */

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

export async function withTimeout<T>(clock: Clock, work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  const abort = new AbortController();
  const timer = clock.sleep(ms, abort.signal).then(
    () => 'timeout' as const,
    () => 'timeout' as const,
  );
  try {
    return await Promise.race([work, timer]);
  } finally {
    abort.abort();
    timer.catch(() => undefined);
  }
}

export function recordEvent(events: SystemEventsService, type: SystemEventType, subtype: SystemEventSubtype, description: string, data: Record<string, unknown>) {
  return events.record({ type, subtype, description, data });
}

/** The timelocked commit a row holds, once its plan was stored. */
export function timelockRecordOf(row: WeightsRow): TimelockRecord | undefined {
  if ((row.path !== 'commit_crv3_weights' && row.path !== 'commit_timelocked_weights') || row.revealRound === null) return undefined;
  if (row.commitEpoch === null || row.firstRevealBlock === null || row.lastRevealBlock === null) return undefined;
  return {
    path: row.path,
    revealRound: Number(row.revealRound),
    commitEpoch: Number(row.commitEpoch),
    firstRevealBlock: Number(row.firstRevealBlock),
    lastRevealBlock: Number(row.lastRevealBlock),
  };
}

/** System event data describing a timelocked commit. */
export function timelockEventData(row: WeightsRow, r: TimelockRecord): Record<string, unknown> {
  return {
    weights_id: Number(row.id),
    path: r.path,
    reveal_round: r.revealRound,
    commit_epoch: r.commitEpoch,
    first_reveal_block: r.firstRevealBlock,
    last_reveal_block: r.lastRevealBlock,
  };
}
