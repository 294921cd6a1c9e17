import type { MainHotkeys, ScoringMiner } from './types';

/**
 * Coldkey grouping, main hotkey and the dancing bonus (chain-scoring-weights.md §4.3) [CONSENSUS].
 * The reference reads DYNAMIC_DANCING_BONUS / MAIN_HOTKEY_SHARE from Django settings, where they
 * are never set, so these constants are what every validator of this version uses.
 */
export const DANCING_BONUS = 0.1;
export const MAIN_HOTKEY_SHARE = 0.8;

export interface ColdkeyIndex {
  hotkeyToColdkey: Map<string, string>;
  /** coldkey -> its hotkeys in miner (database) order. */
  hotkeysOf: Map<string, string[]>;
}

export function indexColdkeys(miners: readonly ScoringMiner[]): ColdkeyIndex {
  const hotkeyToColdkey = new Map<string, string>();
  for (const m of miners) hotkeyToColdkey.set(m.hotkey, m.coldkey ? m.coldkey : m.hotkey);
  const hotkeysOf = new Map<string, string[]>();
  for (const [hk, ck] of hotkeyToColdkey) {
    const list = hotkeysOf.get(ck);
    if (list) list.push(hk);
    else hotkeysOf.set(ck, [hk]);
  }
  return { hotkeyToColdkey, hotkeysOf };
}

export function groupByColdkey(scores: ReadonlyMap<string, number>, index: ColdkeyIndex): Map<string, number> {
  const out = new Map<string, number>();
  for (const [hotkey, score] of scores) {
    const ck = index.hotkeyToColdkey.get(hotkey);
    if (ck) out.set(ck, (out.get(ck) ?? 0) + score);
    else out.set(hotkey, score);
  }
  return out;
}

/** Keys of the grouped scores that are real coldkeys (not themselves scored hotkeys). */
export function coldkeysNeedingMainHotkey(scores: ReadonlyMap<string, number>, index: ColdkeyIndex): string[] {
  return [...groupByColdkey(scores, index).keys()].filter((ck) => !scores.has(ck));
}

function distribute(total: number, main: string, hotkeys: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (hotkeys.includes(main)) {
    if (hotkeys.length === 1) {
      out.set(main, total);
    } else {
      const mainScore = total * MAIN_HOTKEY_SHARE;
      const others = hotkeys.filter((h) => h !== main);
      const each = (total - mainScore) / others.length;
      out.set(main, mainScore);
      for (const h of others) out.set(h, each);
    }
  } else {
    for (const h of hotkeys) out.set(h, total / hotkeys.length);
  }
  return out;
}

function distributeColdkey(coldkey: string, total: number, index: ColdkeyIndex, main: MainHotkeys): Map<string, number> {
  const hotkeys = index.hotkeysOf.get(coldkey) ?? [];
  const current = main.current.get(coldkey);
  if (current) {
    const previous = main.previous.get(coldkey);
    const bonus = !!previous && current !== previous;
    return distribute(bonus ? total * (1.0 + DANCING_BONUS) : total, current, hotkeys);
  }
  const out = new Map<string, number>();
  for (const h of hotkeys) out.set(h, total / hotkeys.length);
  return out;
}

/** One executor class: hotkey scores -> distributed hotkey scores. */
export function applyDancing(scores: ReadonlyMap<string, number>, index: ColdkeyIndex, main: MainHotkeys): Map<string, number> {
  const final = new Map<string, number>();
  for (const [coldkey, total] of groupByColdkey(scores, index)) {
    if (scores.has(coldkey)) {
      final.set(coldkey, total);
      continue;
    }
    for (const [hotkey, score] of distributeColdkey(coldkey, total, index, main)) final.set(hotkey, score);
  }
  return final;
}

/**
 * The main hotkey of a coldkey from its miners' answers: the first miner (database order) whose
 * answer is a non-empty string; undefined when none answered (no row is stored then).
 */
export function pickMainHotkey(
  coldkey: string,
  miners: readonly ScoringMiner[],
  answers: ReadonlyMap<string, string | null | Error>,
): string | undefined {
  for (const m of miners) {
    if (m.coldkey !== coldkey) continue;
    const answer = answers.get(m.hotkey);
    if (typeof answer === 'string' && answer.length > 0) return answer;
  }
  return undefined;
}
