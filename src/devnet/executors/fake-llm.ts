import { createHash } from 'node:crypto';

/**
 * A deterministic stand-in for the prompt-generation and prompt-solver images, for devnet miners.
 * The answer depends only on (prompt, seed), as the real solver's does with vLLM's seeded sampling, so
 * an honest simulated miner and the simulated trusted miner agree on every prompt.
 */

const WORDS = [
  'river', 'stone', 'light', 'number', 'garden', 'signal', 'market', 'engine', 'cloud', 'forest',
  'paper', 'window', 'ocean', 'planet', 'story', 'bridge', 'circle', 'winter', 'memory', 'machine',
  'harbor', 'silver', 'thunder', 'lantern', 'valley', 'mirror', 'compass', 'meadow', 'crystal', 'orbit',
  'quiet', 'rapid', 'gentle', 'bright', 'hidden', 'ancient', 'simple', 'curious', 'golden', 'distant',
];
const TOPICS = ['history', 'physics', 'cooking', 'music', 'astronomy', 'biology', 'economics', 'poetry', 'geography', 'chess'];

function digest(...parts: string[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest();
}

function words(bytes: Buffer, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[bytes[i % bytes.length] % WORDS.length]);
  return out;
}

/** The fake model's answer to `prompt` with `seed` (the solver strips prompts before answering). */
export function fakeAnswer(prompt: string, seed: number | bigint): string {
  const d = digest('answer', String(seed), prompt.trim());
  return `${words(d, 12).join(' ')}.`;
}

/** `n` distinct one-line prompts for a series (what prompt-gen writes to prompts_<uuid>.txt). */
export function fakePrompts(seriesUuid: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = digest('prompt', seriesUuid, String(i));
    out.push(`Question ${i + 1} about ${TOPICS[d[0] % TOPICS.length]}: what links the ${words(d.subarray(1), 3).join(' ')}?`);
  }
  return out;
}

/** The file prompt-gen writes: one prompt per line. */
export function fakePromptsFile(seriesUuid: string, n: number): string {
  return `${fakePrompts(seriesUuid, n).join('\n')}\n`;
}

/**
 * The solver's output for an input file: non-empty lines stripped of surrounding whitespace are
 * the prompts; the JSON object {prompt: answer} is written with sorted keys and 2-space indentation
 * (spec §5.3.2), so its sha256 is reproducible.
 */
export function solvePromptsFile(text: string, seed: number | bigint): string {
  const prompts = text
    .split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const keys = [...new Set(prompts)].sort();
  if (keys.length === 0) return '{}';
  // built by hand: a JS object would move integer-like keys to the front
  return `{\n${keys.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(fakeAnswer(k, seed))}`).join(',\n')}\n}`;
}
