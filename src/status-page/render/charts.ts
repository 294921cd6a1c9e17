import { escapeHtml } from './html';

/** Tiny inline SVG charts for the miners table (no script, no library). */

export type BatchResult = { completed: number; excused: number; failed: number } | null;

const W = 120;
const H = 28;

/** One stacked bar per batch, oldest left: completed (green), excused (grey), failed (red); a dot where the miner had no job. */
export function resultsChart(history: readonly BatchResult[], blocks: readonly number[]): string {
  const n = Math.max(history.length, 1);
  const slot = W / n;
  const bar = Math.max(2, slot - 3);
  const max = Math.max(1, ...history.map((r) => (r ? r.completed + r.excused + r.failed : 0)));
  const parts: string[] = [];
  history.forEach((r, i) => {
    const x = i * slot + (slot - bar) / 2;
    const label = `block ${blocks[i] ?? '?'}: ${r ? `${r.completed} completed, ${r.excused} excused, ${r.failed} failed` : 'no job'}`;
    if (!r || r.completed + r.excused + r.failed === 0) {
      parts.push(`<g><title>${escapeHtml(label)}</title><rect x="${x.toFixed(1)}" y="${H - 2}" width="${bar.toFixed(1)}" height="2" class="none"/></g>`);
      return;
    }
    let y = H;
    const segs: string[] = [];
    for (const [value, cls] of [[r.completed, 'ok'], [r.excused, 'ex'], [r.failed, 'bad']] as const) {
      if (value === 0) continue;
      const h = (value / max) * (H - 2);
      y -= h;
      segs.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" class="${cls}"/>`);
    }
    parts.push(`<g><title>${escapeHtml(label)}</title>${segs.join('')}</g>`);
  });
  return `<svg class="chart results" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="results of the last batches">${parts.join('')}</svg>`;
}

/** The miner's u16 weight per weights round, oldest left, on a 0..65535 scale. */
export function weightChart(history: readonly (number | null)[], cycles: readonly string[]): string {
  const n = history.length;
  if (n === 0) return `<svg class="chart weights" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="no weights yet"></svg>`;
  const x = (i: number) => (n === 1 ? W / 2 : 3 + (i * (W - 6)) / (n - 1));
  const y = (v: number) => H - 2 - (v / 65535) * (H - 4);
  const points = history.map((v, i) => `${x(i).toFixed(1)},${y(v ?? 0).toFixed(1)}`).join(' ');
  const dots = history
    .map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v ?? 0).toFixed(1)}" r="2"><title>${escapeHtml(`cycle ${cycles[i] ?? '?'}: ${v === null ? 'not weighted' : `${v} / 65535`}`)}</title></circle>`)
    .join('');
  return `<svg class="chart weights" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="weight over the last rounds"><line x1="0" x2="${W}" y1="${H - 2}" y2="${H - 2}" class="axis"/><polyline points="${points}"/>${dots}</svg>`;
}
