/** Longest text the status page shows from a description or an error. */
export const MAX_TEXT = 200;

/**
 * The first line of a message, shortened: what the page may show of an error or an event
 * description (never a stack trace, never a job's output that follows on later lines).
 */
export function oneLine(text: string, max = MAX_TEXT): string {
  const first = text.split(/\r?\n/)[0].replace(/\s+at\s+\S+\s+\(.*$/, '').trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/**
 * What the page shows of a system event: job events name the job and miner only (their
 * descriptions carry the miner's address and the job's output); others show their first line.
 */
export function eventSummary(e: { type: string; longDescription: string; data: Record<string, unknown> }): string {
  if (e.type.startsWith('MINER_') && (typeof e.data.job_uuid === 'string' || typeof e.data.miner_hotkey === 'string')) {
    const job = typeof e.data.job_uuid === 'string' ? `job ${e.data.job_uuid}` : '';
    const miner = typeof e.data.miner_hotkey === 'string' ? `miner ${e.data.miner_hotkey}` : '';
    return [job, miner].filter(Boolean).join(' on ');
  }
  return oneLine(e.longDescription);
}
