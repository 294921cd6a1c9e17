import { PythonRandom } from '../../common/python-random';
import { FloatArray, castTo } from './numpy-like';
import { NeuronRef, UidWeights, processWeights, u16NormalizedFloat } from './process-weights';

/** Burn ("dancing burners", chain-scoring-weights.md §5.4) [CONSENSUS]. */
export interface BurnConfig {
  /** DYNAMIC_BURN_TARGET_SS58ADDRESSES, raw (split on "," without trimming, like the reference). */
  targets: string;
  rate: number;
  partition: number;
}

export interface BurnEvent {
  subtype: 'NO_BURNING' | 'APPLIED_BURNING';
  data: {
    registered_burner_hotkeys: string[];
    burner_hotkeys: string[];
    burn_rate: number;
    burn_partition: number;
    cycle_block_start: number;
    main_burner?: string;
    weight_adjustment?: Record<string, number>;
  };
}

export interface BurnResult extends UidWeights {
  event: BurnEvent;
}

/** Code-point order, as Python sorts str. */
function pySortStrings(xs: string[]): string[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function applyDancingBurners(
  input: UidWeights,
  neurons: readonly NeuronRef[],
  cycleBlockStart: number,
  burn: BurnConfig,
  minAllowedWeights: number,
  maxWeightsLimit: number,
): BurnResult {
  const burnerHotkeys = burn.targets.split(',');
  const hotkeyToUid = new Map(neurons.map((n) => [n.hotkey, n.uid]));
  const registered = pySortStrings(burnerHotkeys.filter((h) => hotkeyToUid.has(h)));
  const data: BurnEvent['data'] = {
    registered_burner_hotkeys: registered,
    burner_hotkeys: burnerHotkeys,
    burn_rate: burn.rate,
    burn_partition: burn.partition,
    cycle_block_start: cycleBlockStart,
  };
  if (registered.length === 0 || burn.rate === 0) {
    return { ...input, event: { subtype: 'NO_BURNING', data } };
  }

  let mainBurner: string;
  const adjustment = new Map<string, number>();
  if (registered.length === 1) {
    mainBurner = registered[0];
    adjustment.set(mainBurner, burn.rate);
  } else {
    mainBurner = new PythonRandom(cycleBlockStart).choice(registered);
    adjustment.set(mainBurner, burn.rate * burn.partition);
    for (const h of registered) {
      if (h !== mainBurner) adjustment.set(h, (burn.rate * (1 - burn.partition)) / (registered.length - 1));
    }
  }
  data.main_burner = mainBurner;
  data.weight_adjustment = Object.fromEntries(adjustment);

  let dtype = input.weights.dtype;
  const uids = [...input.uids];
  const keep = castTo(dtype, 1 - burn.rate);
  let weights = input.weights.data.map((w) => castTo(dtype, w * keep));
  for (const [hotkey, amount] of adjustment) {
    const uid = hotkeyToUid.get(hotkey) as number;
    const positions = uids.flatMap((u, i) => (u === uid ? [i] : []));
    if (positions.length === 0) {
      // np.append with a Python float concatenates a float64 array: the result is float64.
      dtype = 'float64';
      uids.push(uid);
      weights.push(amount);
    } else {
      const a = castTo(dtype, amount);
      for (const i of positions) weights[i] = castTo(dtype, weights[i] + a);
    }
  }
  weights = weights.map((w) => castTo(dtype, w));
  const burned: FloatArray = { dtype, data: weights };
  const processed = processWeights(uids, burned, neurons.length, minAllowedWeights, u16NormalizedFloat(maxWeightsLimit));
  return { ...processed, event: { subtype: 'APPLIED_BURNING', data } };
}
