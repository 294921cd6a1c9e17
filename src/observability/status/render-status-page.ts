import type { StatusSnapshot } from './status-snapshot.service';

type Cell = unknown;

export function escapeHtml(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function table(id: string, head: string[], rows: Cell[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty" id="${id}-empty">${escapeHtml(empty)}</p><table id="${id}" hidden><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody></tbody></table>`;
  return `<table id="${id}"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The sections that the page refreshes in place (`/?partial=1`). */
export function renderStatusSections(s: StatusSnapshot): string {
  const chain = s.health.find((h) => h.name === 'chain');
  const parts: string[] = [];
  parts.push(`<section id="overview"><h2>Overview</h2>${table(
    'health',
    ['check', 'ok', 'critical', 'detail'],
    s.health.map((h) => [h.name, h.ok ? 'yes' : 'NO', h.critical ? 'yes' : 'no', h.detail ?? '']),
    'no health checks',
  )}<p>Chain: <span id="chain-status">${escapeHtml(chain ? `${chain.ok ? 'connected' : 'not connected'} ${chain.detail ?? ''}` : 'chain module not loaded')}</span></p>
  <p>Current cycle: <span id="cycle">${escapeHtml(s.cycle ? `${String(s.cycle.start)}–${String(s.cycle.stop)}` : 'unknown')}</span>;
  next batch: <span id="next-batch">${escapeHtml(s.nextBatch ? `block ${String(s.nextBatch.block)}` : 'none scheduled')}</span></p></section>`);
  parts.push(`<section id="batches"><h2>Last synthetic batches</h2>${
    s.batches.length === 0
      ? '<p class="empty">no batch has run yet</p>'
      : s.batches
          .map(
            ({ batch, miners }) =>
              `<h3>Batch ${escapeHtml(batch.id)} at block ${escapeHtml(batch.block)}${batch.should_be_scored === false ? ' (debug, not scored)' : ''}</h3>${table(
                `batch-${String(batch.id)}`,
                ['miner', 'executor class', 'sent', 'completed', 'excused', 'failed', 'failure kinds'],
                miners.map((m) => [m.miner_hotkey, m.executor_class, m.sent, m.completed, m.excused, m.failed, m.failure_kinds]),
                'no jobs',
              )}`,
          )
          .join('')
  }</section>`);
  parts.push(`<section id="miners"><h2>Miners</h2>${table(
    'miners-table',
    ['uid', 'hotkey', 'in metagraph', 'synthetic completed', 'excused', 'failed', 'organic completed', 'organic other', 'score', 'last weight (u16)'],
    s.miners.map((m) => [m.uid, m.hotkey, m.in_metagraph ? 'yes' : 'no', m.synthetic_completed, m.synthetic_excused, m.synthetic_failed, m.organic_completed, m.organic_not_completed, m.score, m.weight]),
    'no miners synced yet',
  )}</section>`);
  const w = s.lastWeights;
  parts.push(`<section id="weights"><h2>Last weights set</h2>${
    w
      ? `<p id="weights-summary">cycle ${escapeHtml(w.cycle_start)}–${escapeHtml(w.cycle_stop)}, ${escapeHtml(w.mode)}, status <b>${escapeHtml(w.status)}</b>${w.block ? ` at block ${escapeHtml(w.block)}` : ''}</p>${table(
          'weights-table',
          ['uid', 'weight (u16)'],
          ((w.uids as number[] | undefined) ?? []).map((uid, i) => [uid, ((w.weights as number[] | undefined) ?? [])[i]]),
          'empty weights',
        )}`
      : '<p class="empty">no weights set yet</p>'
  }</section>`);
  parts.push(`<section id="organic"><h2>Recent organic jobs</h2>${table(
    'organic-jobs',
    ['job', 'miner', 'executor class', 'status', 'comment', 'updated'],
    s.organicJobs.map((j) => [j.job_uuid, j.miner_hotkey, j.executor_class, j.status, j.comment, j.updated_at]),
    'no organic jobs yet',
  )}</section>`);
  parts.push(`<section id="events"><h2>Recent system events</h2>${table(
    'system-events',
    ['time', 'type', 'subtype', 'description'],
    s.systemEvents.map((e) => [e.timestamp, e.type, e.subtype, e.long_description]),
    'no system events yet',
  )}</section>`);
  return parts.join('\n');
}

const SCRIPT = `
(function () {
  var status = document.getElementById('live-status');
  var pending = null;
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch('/?partial=1').then(function (r) { return r.text(); }).then(function (html) {
        document.getElementById('sections').innerHTML = html;
      }).catch(function () {});
    }, 500);
  }
  function addLive(text) {
    var list = document.getElementById('live');
    var li = document.createElement('li');
    li.textContent = text;
    list.insertBefore(li, list.firstChild);
    while (list.childNodes.length > 50) list.removeChild(list.lastChild);
  }
  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/events');
    ws.onopen = function () { status.textContent = 'live'; };
    ws.onclose = function () { status.textContent = 'reconnecting…'; setTimeout(connect, 2000); };
    ws.onmessage = function (m) {
      var e = JSON.parse(m.data);
      if (e.kind === 'system_event') addLive(e.timestamp + ' ' + e.type + '/' + e.subtype + ' ' + (e.description || ''));
      if (e.kind === 'job_status') addLive(e.timestamp + ' ' + e.jobKind + ' job ' + e.jobUuid + ' on ' + e.minerHotkey + ': ' + e.status + (e.comment ? ' (' + e.comment + ')' : ''));
      if (e.kind !== 'hello') refresh();
    };
  }
  connect();
})();
`;

export function renderStatusPage(s: StatusSnapshot, title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.empty{color:#777}#live{max-height:12rem;overflow:auto;font-family:monospace;font-size:12px}
</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>Generated ${escapeHtml(s.generatedAt)} · live feed: <span id="live-status">connecting…</span></p>
<h2>Live</h2><ul id="live"></ul>
<div id="sections">${renderStatusSections(s)}</div>
<script>${SCRIPT}</script>
</body></html>`;
}
