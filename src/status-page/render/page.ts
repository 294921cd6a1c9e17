import type { StatusSnapshot } from '../status-snapshot.service';
import { escapeHtml } from './html';
import { renderSections, type Viewer } from './sections';

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f4f6f9}
header{display:flex;gap:1rem;align-items:baseline;padding:.8rem 1.5rem;background:#1d2330;color:#fff}
header h1{font-size:1.1rem;margin:0;font-weight:600}header .muted{color:#aab3c2}
main{max-width:1400px;margin:0 auto;padding:1rem 1.5rem 2rem}
h2{font-size:1rem;margin:0 0 .5rem}
section{margin:0 0 1rem}
.overall{display:flex;gap:1rem;align-items:center;padding:.8rem 1rem;border-radius:8px;border:1px solid}
.overall ul{margin:0;padding-left:1.1rem}.overall p{margin:0}
.overall .badge{font-weight:700;font-size:1.2rem;padding:.3rem .8rem;border-radius:6px;color:#fff;min-width:8.5rem;text-align:center}
.overall.ok{background:#e9f7ef;border-color:#9ed5b3}.overall.ok .badge{background:#1e8e4e}
.overall.degraded{background:#fff6e0;border-color:#f0cf7a}.overall.degraded .badge{background:#b7791f}
.overall.down{background:#fdecec;border-color:#eea5a5}.overall.down .badge{background:#c53030}
.cards{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:1rem;margin-bottom:1rem}
@media (max-width:1100px){.cards{grid-template-columns:repeat(2,minmax(0,1fr))}}
.card{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:.8rem 1rem;margin:0;min-width:0}
#batches,#miners,#events,#live,#health{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:.8rem 1rem}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15rem .8rem;margin:0 0 .4rem}
dt{color:#5b6474}dd{margin:0;min-width:0;overflow-wrap:anywhere}
.key{font-family:ui-monospace,Menlo,monospace;font-size:12px;display:inline-block;max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;vertical-align:bottom}
dd .key{max-width:100%}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border-bottom:1px solid #e6e9ef;padding:.3rem .5rem;text-align:left;vertical-align:middle;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
th{color:#5b6474;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.02em}
td .key{max-width:100%}
.pill{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:12px;font-weight:600;line-height:1.6}
.pill.ok{background:#dff3e7;color:#17683a}.pill.warn{background:#fdf0cf;color:#8a5a00}.pill.bad{background:#fbe0e0;color:#a02525}
.pill.info{background:#e3ecfb;color:#25508f}.pill.muted{background:#eceef2;color:#5b6474}
.muted{color:#6b7385}.ok-text{color:#17683a}.bad-text{color:#a02525}
.failed{color:#a02525;background:#fdecec;border:1px solid #eea5a5;border-radius:6px;padding:.4rem .6rem;margin:.2rem 0}
.empty{color:#6b7385}
.bar{height:6px;background:#e6e9ef;border-radius:3px;overflow:hidden;margin:.1rem 0 .5rem}.bar div{height:100%;background:#4a78c2}
.chart rect.ok,.legend i.ok{fill:#2f9e5b;background:#2f9e5b}.chart rect.ex,.legend i.ex{fill:#a9b0bd;background:#a9b0bd}
.chart rect.bad,.legend i.bad{fill:#d64545;background:#d64545}.chart rect.none{fill:#d5d9e0}
.chart polyline{fill:none;stroke:#4a78c2;stroke-width:1.5}.chart circle{fill:#4a78c2}.chart line.axis{stroke:#d5d9e0}
.legend{font-weight:400;font-size:12px;color:#6b7385;margin-left:1rem}.legend i{display:inline-block;width:10px;height:10px;margin:0 .25rem 0 .6rem;border-radius:2px}
#live-jobs{list-style:none;margin:0;padding:0;max-height:14rem;overflow:auto;font-size:13px}
#live-jobs li{padding:.15rem 0;border-bottom:1px dotted #e6e9ef;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#live-jobs .key{max-width:14rem}
.notice{background:#eef3fb;border:1px solid #c9d8f0;border-radius:8px;padding:.6rem 1rem}
code{font-family:ui-monospace,Menlo,monospace;font-size:12px}
`;

/** Keeps the page current: the live feed pushes job statuses (with the token) and "something changed" notices. */
const SCRIPT = `
(function () {
  var status = document.getElementById('live-status');
  var pending = null;
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch('/?partial=1', { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { document.getElementById('sections').innerHTML = html; })
        .catch(function () {});
    }, 1000);
  }
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
  function addJob(e) {
    var list = document.getElementById('live-jobs');
    if (!list) return;
    var empty = document.getElementById('live-jobs-empty');
    if (empty) empty.remove();
    var li = document.createElement('li');
    li.innerHTML = '<span class="muted">' + esc(String(e.timestamp).slice(11, 19)) + '</span> ' + esc(e.jobKind) +
      ' <span class="key" title="' + esc(e.jobUuid) + '">' + esc(String(e.jobUuid).slice(0, 8)) + '</span> ' +
      (e.minerHotkey ? 'on <span class="key" title="' + esc(e.minerHotkey) + '">' + esc(e.minerHotkey) + '</span>' : '<span class="muted">(no miner)</span>') +
      (e.executorClass ? ' <span class="muted">' + esc(e.executorClass) + '</span>' : '') + ' \\u2192 <b class="status">' + esc(e.status) + '</b>';
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 50) list.removeChild(list.lastChild);
  }
  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/events');
    ws.onmessage = function (m) {
      var e = JSON.parse(m.data);
      if (e.kind === 'hello') { status.textContent = 'live'; return; }
      if (e.kind === 'job_status') addJob(e);
      refresh();
    };
    ws.onclose = function () { status.textContent = 'reconnecting…'; setTimeout(connect, 3000); };
  }
  connect();
  setInterval(refresh, 10000);
})();
`;

export function renderStatusPage(s: StatusSnapshot, v: Viewer, title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style></head>
<body><header><h1>${escapeHtml(title)}</h1><span class="muted">live feed: <span id="live-status">connecting…</span></span></header>
<main><div id="sections">${renderSections(s, v)}</div></main>
<script>${SCRIPT}</script>
</body></html>`;
}
