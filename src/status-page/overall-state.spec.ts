import { overallState, type OverallInputs } from './overall-state';

const now = Date.parse('2026-12-04T12:00:00Z');
const healthy: OverallInputs = {
  nowMs: now,
  health: [{ name: 'database', ok: true, critical: true }, { name: 'chain', ok: true, critical: false }],
  chain: { connected: true, lastError: null, headSeenAt: now - 5_000, hotkeyError: null },
  ownNeuron: { uid: 0, validatorPermit: true },
  metagraphSynced: true,
  facilitator: { configured: true, connected: true },
  recentBatchStates: ['done'],
  missedBatchBlocks: [],
  newestWeights: { status: 'revealed', cycle: { start: 1, stop: 23 }, lastError: null },
  failedSections: {},
};

describe('overallState', () => {
  it('is ok with no reasons when everything works', () => {
    expect(overallState(healthy)).toEqual({ state: 'ok', reasons: [] });
  });

  it('is down, with every reason, when the wallet or the chain or the database is missing', () => {
    const s = overallState({
      ...healthy,
      health: [{ name: 'database', ok: false, critical: true, detail: 'no answer within 3000 ms' }, { name: 'chain', ok: false, critical: true }],
      chain: { connected: false, lastError: 'ECONNREFUSED', headSeenAt: null, hotkeyError: 'no hotkey file at /w/default/hotkeys/default' },
      facilitator: { configured: true, connected: false },
    });
    expect(s.state).toBe('down');
    expect(s.reasons).toEqual([
      'database check fails: no answer within 3000 ms',
      'wallet hotkey not loaded: no hotkey file at /w/default/hotkeys/default',
      'not connected to the chain (ECONNREFUSED): no batches are scheduled and no weights are set',
      'not connected to the facilitator: no organic jobs arrive',
    ]);
  });

  it('is degraded for a stale head, no permit, a missed or interrupted batch, failed weights or an unreadable section', () => {
    const s = overallState({
      ...healthy,
      chain: { ...healthy.chain, headSeenAt: now - 90_000 },
      ownNeuron: { uid: 3, validatorPermit: false },
      recentBatchStates: ['interrupted', 'done'],
      missedBatchBlocks: [64],
      newestWeights: { status: 'failed', cycle: { start: 1, stop: 23 }, lastError: 'SettingWeightsTooFast' },
      failedSections: { 'organic jobs': 'relation "organic_job" does not exist' },
    });
    expect(s.state).toBe('degraded');
    expect(s.reasons).toEqual([
      'no new block for 90 s',
      'uid 3 has no validator permit: weights cannot be set',
      'the last synthetic batch was interrupted before it finished',
      'synthetic batch missed at block 64',
      'weights of cycle 1–23 failed: SettingWeightsTooFast',
      'could not read organic jobs: relation "organic_job" does not exist',
    ]);
    expect(overallState({ ...healthy, ownNeuron: null }).reasons).toEqual(['own hotkey is not registered on the subnet (metagraph): weights cannot be set']);
    expect(overallState({ ...healthy, newestWeights: { status: 'not_applied', cycle: { start: 1, stop: 23 }, lastError: null } }).reasons).toEqual(['weights of cycle 1–23 not applied by the chain (timelocked commit)']);
    expect(overallState({ ...healthy, ownNeuron: null, metagraphSynced: false }).reasons).toEqual(['metagraph not synced yet: own uid, stake and permit unknown']);
    // a chain outage shorter than HEALTH_CHAIN_UNREACHABLE_SECONDS (its check not critical yet) degrades only
    const short = overallState({
      ...healthy,
      health: [{ name: 'database', ok: true, critical: true }, { name: 'chain', ok: false, critical: false }],
      chain: { ...healthy.chain, connected: false, lastError: 'ECONNREFUSED' },
    });
    expect(short).toEqual({ state: 'degraded', reasons: ['not connected to the chain (ECONNREFUSED): no batches are scheduled and no weights are set'] });
  });
});
