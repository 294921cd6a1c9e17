import type { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { isInPeakCycle, peakCycle } from '../calendar/chain-time';
import { parseClassIntMap, parseEventLimits } from '../batch/batch-config';
import type { BatchEngineConfig } from '../batch/batch-engine';
import type { MinerManifestRepository } from '../persistence/miner-manifest.repository';

/**
 * The engine's limits for a batch at `block`, read from dynamic config; outside the peak cycle with the
 * peak batch's online counts (synthetic-jobs.md §4.5).
 */
export async function loadBatchEngineConfig(block: number, netuid: number, dynamic: DynamicConfigService, manifests: MinerManifestRepository): Promise<BatchEngineConfig> {
  let nonPeak: BatchEngineConfig['nonPeak'] = null;
  if (!isInPeakCycle(block, netuid)) {
    const peak = peakCycle(block, netuid);
    const peakCounts = await manifests.peakOnlineCounts(peak.start, peak.stop);
    nonPeak = {
      peakCounts,
      ratio: await dynamic.get('DYNAMIC_NON_PEAK_CYCLE_EXECUTOR_MIN_RATIO'),
      missedPeakDefaults: parseClassIntMap(await dynamic.get('DYNAMIC_DEFAULT_EXECUTOR_LIMITS_FOR_MISSED_PEAK')),
    };
  }
  return {
    maxPerClass: parseClassIntMap(await dynamic.get('DYNAMIC_MINER_MAX_EXECUTORS_PER_CLASS'), { dropNegative: true }),
    nonPeak,
    excusedScore: await dynamic.get('DYNAMIC_EXCUSED_SYNTHETIC_JOB_SCORE'),
    minimumStakeForExcuse: await dynamic.get('DYNAMIC_MINIMUM_VALIDATOR_STAKE_FOR_EXCUSE'),
    eventLimits: parseEventLimits(await dynamic.get('DYNAMIC_SYSTEM_EVENT_LIMITS')),
    rejectDuplicateExcuses: false,
    streamingReadyTimeoutMs: (await dynamic.get('DYNAMIC_SYNTHETIC_STREAMING_JOB_READY_TIMEOUT')) * 1000,
  };
}
