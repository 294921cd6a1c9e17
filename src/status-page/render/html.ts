/** Small HTML helpers of the status page (no template engine, everything escaped). */

export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** "12 s ago", "3 min ago", "5 h ago", "2 d ago" relative to `now`, with the exact time on hover. */
export function ago(at: Date | number | null | undefined, now: Date): string {
  if (at === null || at === undefined) return '—';
  const t = typeof at === 'number' ? at : at.getTime();
  const s = Math.max(0, Math.round((now.getTime() - t) / 1000));
  const text = s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : s < 172_800 ? `${Math.round(s / 3600)} h ago` : `${Math.round(s / 86_400)} d ago`;
  return `<time datetime="${new Date(t).toISOString()}" title="${new Date(t).toISOString()}">${text}</time>`;
}

/** A hotkey shortened for a table cell, the full key on hover and for copying. */
export function hotkey(ss58: string): string {
  return `<span class="key" title="${escapeHtml(ss58)}">${escapeHtml(ss58)}</span>`;
}

/** rao -> "1234.567 τ" (exact integer arithmetic). */
export function tao(rao: bigint): string {
  const whole = rao / 1_000_000_000n;
  const frac = (rao % 1_000_000_000n).toString().padStart(9, '0').slice(0, 3);
  return `${whole.toLocaleString('en-US')}.${frac} τ`;
}

export function pill(text: string, kind: 'ok' | 'warn' | 'bad' | 'info' | 'muted'): string {
  return `<span class="pill ${kind}">${escapeHtml(text)}</span>`;
}

/** A part of the page that could not be read: says so, instead of showing zeros. */
export function failure(what: string, error: string): string {
  return `<p class="failed" role="alert">Could not read ${escapeHtml(what)}: ${escapeHtml(error)}</p>`;
}

export function table(id: string, head: string[], rows: string[][], opts: { empty: string; cols?: string[] }): string {
  if (rows.length === 0) return `<p class="empty" id="${id}-empty">${escapeHtml(opts.empty)}</p>`;
  const cols = opts.cols ? `<colgroup>${opts.cols.map((w) => `<col style="width:${w}">`).join('')}</colgroup>` : '';
  return `<div class="scroll"><table id="${id}">${cols}<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}
