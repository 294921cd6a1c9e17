/**
 * The one line an operator reads first: is this validator doing its work, and if not, why. Pure:
 * it judges what the module read models reported (status-snapshot.service.ts).
 */
export type OverallLevel = 'ok' | 'degraded' | 'down';

export interface OverallState {
  state: OverallLevel;
  /** Why it is not ok, most serious first; empty when ok. */
  reasons: string[];
}

export interface OverallInputs {
  nowMs: number;
  health: { name: string; ok: boolean; critical: boolean; detail?: string }[];
  chain: { connected: boolean; lastError: string | null; headSeenAt: number | null; hotkeyError: string | null };
  /** The own neuron (null: not in the metagraph, undefined: could not be read). */
  ownNeuron: { uid: number; validatorPermit: boolean } | null | undefined;
  /** Whether the metagraph has been synced at all (else a missing own neuron says nothing). */
  metagraphSynced: boolean;
  facilitator: { configured: boolean; connected: boolean } | undefined;
  /** States of the newest scored batches, newest first. */
  recentBatchStates: string[] | undefined;
  /** Scheduled batches that passed without running (this and the previous cycle). */
  missedBatchBlocks: number[] | undefined;
  /** Status of the newest weights round. */
  newestWeights: { status: string; cycle: { start: number; stop: number }; lastError: string | null } | null | undefined;
  /** Sections the page could not read: name -> error. */
  failedSections: Record<string, string>;
}

/** A head older than this means the chain connection is stuck even if the socket is open. */
export const STALE_HEAD_MS = 60_000;

export function overallState(i: OverallInputs): OverallState {
  const down: string[] = [];
  const degraded: string[] = [];
  for (const h of i.health) {
    if (h.ok) continue;
    if (h.name === 'chain' || h.name === 'wallet') continue; // said below, in the operator's words
    (h.critical ? down : degraded).push(`${h.name} check fails${h.detail ? `: ${h.detail}` : ''}`);
  }
  if (i.chain.hotkeyError) down.push(`wallet hotkey not loaded: ${i.chain.hotkeyError}`);
  if (!i.chain.connected) {
    // /health's chain check is critical only after HEALTH_CHAIN_UNREACHABLE_SECONDS: a short outage degrades
    const chainCheck = i.health.find((h) => h.name === 'chain');
    const long = chainCheck ? !chainCheck.ok && chainCheck.critical : true;
    (long ? down : degraded).push(`not connected to the chain${i.chain.lastError ? ` (${i.chain.lastError})` : ''}: no batches are scheduled and no weights are set`);
  }
  else if (i.chain.headSeenAt === null) degraded.push('connected to the chain but no block seen yet');
  else if (i.nowMs - i.chain.headSeenAt > STALE_HEAD_MS) degraded.push(`no new block for ${Math.round((i.nowMs - i.chain.headSeenAt) / 1000)} s`);
  if (i.ownNeuron === null && !i.metagraphSynced) degraded.push('metagraph not synced yet: own uid, stake and permit unknown');
  else if (i.ownNeuron === null) degraded.push('own hotkey is not registered on the subnet (metagraph): weights cannot be set');
  else if (i.ownNeuron && !i.ownNeuron.validatorPermit) degraded.push(`uid ${i.ownNeuron.uid} has no validator permit: weights cannot be set`);
  if (i.facilitator?.configured && !i.facilitator.connected) degraded.push('not connected to the facilitator: no organic jobs arrive');
  const lastBatch = i.recentBatchStates?.[0];
  if (lastBatch === 'interrupted') degraded.push('the last synthetic batch was interrupted before it finished');
  if (i.missedBatchBlocks?.length) degraded.push(`synthetic batch missed at block ${i.missedBatchBlocks.join(', ')}`);
  const w = i.newestWeights;
  if (w && (w.status === 'failed' || w.status === 'expired' || w.status === 'not_applied')) {
    const what = { failed: 'failed', expired: 'expired (never revealed)', not_applied: 'not applied by the chain (timelocked commit)' }[w.status];
    degraded.push(`weights of cycle ${w.cycle.start}–${w.cycle.stop} ${what}${w.lastError ? `: ${w.lastError}` : ''}`);
  }
  for (const [name, error] of Object.entries(i.failedSections)) degraded.push(`could not read ${name}: ${error}`);
  if (down.length > 0) return { state: 'down', reasons: [...down, ...degraded] };
  if (degraded.length > 0) return { state: 'degraded', reasons: degraded };
  return { state: 'ok', reasons: [] };
}
