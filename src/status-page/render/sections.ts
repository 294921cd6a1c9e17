import type { BatchView, CalendarView } from '../../synthetic-jobs/synthetic-jobs.read-model';
import type { WeightsView } from '../../weights/weights.read-model';
import type { JobStatusEvent } from '../../observability/live/live-feed.service';
import type { Section, StatusSnapshot } from '../status-snapshot.service';
import { resultsChart, weightChart } from './charts';
import { ago, escapeHtml, failure, hotkey, pill, table, tao } from './html';

/** Who is looking: details (per miner, per job) need the status-page token. */
export interface Viewer {
  details: boolean;
  /** A token is configured (else details are off for everyone). */
  tokenEnabled: boolean;
  loginFailed?: boolean;
}

const STATE_LABEL = { ok: 'OK', degraded: 'DEGRADED', down: 'DOWN' } as const;

function overall(s: StatusSnapshot): string {
  const o = s.overall;
  const reasons = o.reasons.length
    ? `<ul id="overall-reasons">${o.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
    : '<p id="overall-reasons" class="muted">Chain connected, wallet loaded, batches and weights on schedule.</p>';
  return `<section id="overall" class="overall ${o.state}" data-state="${o.state}"><div class="badge">${STATE_LABEL[o.state]}</div>${reasons}</section>`;
}

function identity(s: StatusSnapshot): string {
  const body = sectionBody(s.identity, 'the validator identity', (id) => {
    const rows: [string, string][] = [
      ['hotkey', id.hotkey ? hotkey(id.hotkey) : `<span class="bad-text">${escapeHtml(id.hotkeyError ?? 'not loaded')}</span>`],
      ['network', escapeHtml(id.network)],
      ['netuid', String(id.netuid)],
      ['uid', id.neuron ? String(id.neuron.uid) : pill('not registered', 'bad')],
      ['stake', id.neuron ? escapeHtml(tao(id.neuron.stakeRao)) : '—'],
      ['validator permit', id.neuron ? (id.neuron.validatorPermit ? pill('yes', 'ok') : pill('no', 'bad')) : '—'],
    ];
    return dl(rows);
  });
  return card('identity', 'Validator', body);
}

function chainAndCalendar(s: StatusSnapshot): string {
  const c = s.chain;
  const rows: [string, string][] = [
    ['chain', c.connected ? pill('connected', 'ok') : `${pill('not connected', 'bad')} ${escapeHtml(c.lastError ?? '')}`],
    ['block', c.head === null ? '—' : `<span id="chain-block">${c.head}</span> <span class="muted">(${ago(c.headSeenAt, s.generatedAt)})</span>`],
  ];
  let calendar: string;
  if (!s.calendar.ok) calendar = failure('the synthetic calendar', s.calendar.error);
  else if (!s.calendar.value) calendar = `<p id="next-batch" data-state="unknown" class="muted">Next batch: unknown until the chain's head and tempo are known.</p>`;
  else calendar = calendarView(s.calendar.value);
  return card('chain', 'Chain and calendar', `${dl(rows)}${calendar}`);
}

function calendarView(cal: CalendarView): string {
  const progress = Math.min(100, Math.max(0, ((cal.head - cal.cycle.start) / (cal.cycle.stop - cal.cycle.start)) * 100));
  const cycle = `<p>Cycle <span id="cycle" data-start="${cal.cycle.start}" data-stop="${cal.cycle.stop}">${cal.cycle.start}–${cal.cycle.stop}</span></p>
    <div class="bar" title="${progress.toFixed(0)} % of the cycle"><div style="width:${progress.toFixed(1)}%"></div></div>`;
  let next: string;
  if (cal.next) {
    const n = cal.next;
    const when = n.state === 'due' ? 'due now' : `in ${n.block - cal.head} blocks`;
    next = `<p>Next batch: <b id="next-batch" data-block="${n.block}" data-state="${n.state}">block ${n.block}</b> ${pill(when, n.state === 'due' ? 'warn' : 'info')}</p>`;
  } else {
    const cur = cal.current;
    const ran = cur ? `this cycle's batch (block ${cur.block}) is ${cur.state}; ` : '';
    next = `<p>Next batch: <b id="next-batch" data-block="" data-state="next-cycle" data-chosen-at="${cal.nextSlotChosenAtBlock}">in cycle ${cal.nextCycle.start}–${cal.nextCycle.stop}</b></p>
      <p class="muted">${escapeHtml(ran)}its block is drawn at block ${cal.nextSlotChosenAtBlock}.</p>`;
  }
  const missed = cal.missed.length ? `<p id="missed-batches">${pill('missed', 'bad')} batch at block ${cal.missed.map((b) => b.block).join(', ')}</p>` : '';
  return `${cycle}${next}${missed}`;
}

function weights(s: StatusSnapshot): string {
  const body = sectionBody(s.weights, 'weights', (rounds) => {
    const w = rounds[0];
    if (!w) return '<p class="empty">No weights computed yet.</p>';
    const landed = rounds.find((r) => r.status === 'set' || r.status === 'committed' || r.status === 'revealed');
    const rows: [string, string][] = [
      ['last round', `cycle ${w.cycle.start}–${w.cycle.stop} · <span id="weights-how">${escapeHtml(w.how)}</span>${w.path ? ` <span class="muted">(${escapeHtml(w.path)})</span>` : ''}`],
      ['status', `<span id="weights-status" data-status="${escapeHtml(w.status)}">${weightsStatus(w)}</span>`],
      ['on chain', w.block === null ? '—' : `block ${w.block} <span class="muted">(${ago(w.updatedAt, s.generatedAt)})</span>`],
      ['revealed', w.revealed === null ? 'n/a (set directly)' : w.revealed ? `yes ${ago(w.revealedAt, s.generatedAt)}` : w.status === 'not_applied' || w.status === 'expired' ? pill('never', 'bad') : pill('not yet', 'info')],
      ['last landed', landed ? `block ${landed.block ?? '—'} (${ago(landed.updatedAt, s.generatedAt)})` : pill('never', 'warn')],
    ];
    if (w.revealRound !== null || w.revealBlocks) {
      const parts = [w.revealRound !== null ? `drand round ${w.revealRound}` : '', w.revealBlocks ? `blocks ${w.revealBlocks.first}–${w.revealBlocks.last}` : ''].filter(Boolean);
      rows.splice(4, 0, ['reveal due', escapeHtml(parts.join(', '))]);
    }
    if (w.lastError) rows.push(['last error', `<span class="bad-text">${escapeHtml(w.lastError)}</span>`]);
    return dl(rows);
  });
  return card('weights', 'Weights', body);
}

function weightsStatus(w: WeightsView): string {
  const kind = w.status === 'revealed' || w.status === 'set' ? 'ok' : w.status === 'failed' || w.status === 'expired' || w.status === 'not_applied' ? 'bad' : w.status === 'skipped' ? 'muted' : 'info';
  return pill(w.status, kind);
}

function facilitator(s: StatusSnapshot): string {
  const body = sectionBody(s.facilitator, 'the facilitator state', (f) => {
    const rows: [string, string][] = [
      ['connection', !f.configured ? pill('not configured', 'muted') : f.connected ? pill('connected', 'ok') : pill('not connected', 'bad')],
      ['server', escapeHtml(f.host ?? '—')],
      ['jobs running', String(f.jobsRunning)],
      ['unanswered statuses', String(f.unansweredStatuses)],
    ];
    return dl(rows);
  });
  const organic = s.organic24h.ok
    ? `<p>Organic jobs, last 24 h: <span id="organic-24h">${Object.entries(s.organic24h.value).map(([k, n]) => `${escapeHtml(k.toLowerCase())} ${n}`).join(' · ') || 'none'}</span></p>`
    : failure('organic jobs', s.organic24h.error);
  return card('facilitator', 'Facilitator', `${body}${organic}`);
}

function batches(s: StatusSnapshot): string {
  const body = sectionBody(s.batches, 'synthetic batches', (list) =>
    table(
      'batches-table',
      ['block', 'state', 'started', 'took', 'jobs', 'completed', 'excused', 'failed', 'failure kinds'],
      list.map((b) => [
        `${b.block}${b.shouldBeScored ? '' : ' <span class="muted">(debug)</span>'}`,
        batchState(b),
        ago(b.startedAt, s.generatedAt),
        b.startedAt && b.finishedAt ? `${Math.round((b.finishedAt.getTime() - b.startedAt.getTime()) / 1000)} s` : '—',
        b.state === 'running' ? '<span class="muted">stored when it ends</span>' : String(b.jobs.sent),
        String(b.jobs.completed),
        String(b.jobs.excused),
        String(b.jobs.failed),
        escapeHtml(Object.entries(b.failureKinds).map(([k, n]) => `${k} ${n}`).join(', ')),
      ]),
      { empty: 'No synthetic batch has run yet.', cols: ['9%', '10%', '10%', '7%', '12%', '9%', '8%', '7%', '28%'] },
    ),
  );
  return `<section id="batches"><h2>Synthetic batches</h2>${body}</section>`;
}

function batchState(b: BatchView): string {
  const kind = { done: 'ok', running: 'info', due: 'warn', scheduled: 'muted', missed: 'bad', interrupted: 'bad' } as const;
  return pill(b.state, kind[b.state]);
}

function miners(s: StatusSnapshot, batchBlocks: number[], cycles: string[]): string {
  const body = sectionBody(s.details.miners, 'the miners', (rows) =>
    table(
      'miners-table',
      ['uid', 'hotkey', 'last batch', 'organic 24 h', 'score', 'weight %', 'batches', 'weight per round'],
      rows.map((m) => {
        const last = [...m.history].reverse().find((r) => r !== null) ?? null;
        return [
          `${m.uid}${m.validatorPermit ? ' <span class="muted" title="has a validator permit">V</span>' : ''}`,
          hotkey(m.hotkey),
          last ? `<span class="ok-text">${last.completed}</span> / <span class="muted">${last.excused}</span> / <span class="bad-text">${last.failed}</span>` : '<span class="muted">no job</span>',
          m.organic24h === null ? '<span class="bad-text" title="organic jobs could not be read">?</span>' : `${m.organic24h.completed} ok · ${m.organic24h.other} other`,
          m.score === null ? '—' : m.score.toFixed(4),
          m.weightShare === null ? '—' : `<span title="${m.weight ?? 0} / 65535">${(m.weightShare * 100).toFixed(1)} %</span>`,
          resultsChart(m.history, batchBlocks),
          weightChart(m.weightHistory, cycles),
        ];
      }),
      { empty: 'No miners in the metagraph yet.', cols: ['5%', '27%', '10%', '11%', '8%', '9%', '15%', '15%'] },
    ),
  );
  return `<section id="miners"><h2>Miners <span class="legend">batches oldest → newest: <i class="ok"></i>completed <i class="ex"></i>excused <i class="bad"></i>failed; weight per round on a 0–65535 scale</span></h2>${body}</section>`;
}

function events(s: StatusSnapshot): string {
  const body = sectionBody(s.details.events, 'system events', (list) =>
    table(
      'system-events',
      ['time', 'type', 'subtype', 'what'],
      list.map((e) => [ago(e.timestamp, s.generatedAt), escapeHtml(e.type), escapeHtml(e.subtype), escapeHtml(e.description)]),
      { empty: 'No system events yet.', cols: ['10%', '25%', '20%', '45%'] },
    ),
  );
  return `<section id="events"><h2>Recent system events</h2>${body}</section>`;
}

function access(v: Viewer): string {
  if (v.details) return `<section id="access" class="muted"><form method="post" action="/logout"><button type="submit">Hide details</button></form></section>`;
  if (!v.tokenEnabled) {
    return `<section id="access" class="notice">Per-miner details, job statuses and system events are hidden: set <code>STATUS_PAGE_TOKEN</code> to unlock them with a token.</section>`;
  }
  return `<section id="access" class="notice"><form method="post" action="/login">Per-miner details, job statuses and system events need the status-page token:
    <input type="password" name="token" autocomplete="current-password" aria-label="status-page token"> <button type="submit">Unlock</button>
    ${v.loginFailed ? '<span class="bad-text">wrong token</span>' : ''}</form></section>`;
}

function health(s: StatusSnapshot): string {
  return `<section id="health"><h2>Health checks</h2><p>${s.health
    .map((h) => `${pill(`${h.name}: ${h.ok ? 'ok' : 'failing'}`, h.ok ? 'ok' : h.critical ? 'bad' : 'warn')} <span class="muted">${escapeHtml(h.detail ?? '')}</span>`)
    .join('<br>')}</p></section>`;
}

/** One live job status line (also built by the page script for new ones: keep both in step). */
export function jobStatusLine(e: JobStatusEvent): string {
  const time = e.timestamp.slice(11, 19);
  const miner = e.minerHotkey ? `on ${hotkey(e.minerHotkey)}` : '<span class="muted">(no miner)</span>';
  return `<li><span class="muted">${escapeHtml(time)}</span> ${escapeHtml(e.jobKind)} <span class="key" title="${escapeHtml(e.jobUuid)}">${escapeHtml(e.jobUuid.slice(0, 8))}</span> ${miner}${e.executorClass ? ` <span class="muted">${escapeHtml(e.executorClass)}</span>` : ''} → <b class="status">${escapeHtml(e.status)}</b></li>`;
}

function live(s: StatusSnapshot): string {
  const list = s.details.jobStatuses;
  return `<section id="live"><h2>Live job statuses</h2>${
    list.length ? '' : '<p class="empty" id="live-jobs-empty">No job status yet: they appear here as jobs run.</p>'
  }<ul id="live-jobs">${list.map(jobStatusLine).join('')}</ul></section>`;
}

/** The part the page replaces on refresh (`/?partial=1`). */
export function renderSections(s: StatusSnapshot, v: Viewer): string {
  const batchList = s.batches.ok ? [...s.batches.value].reverse() : [];
  const rounds = s.weights.ok ? [...s.weights.value].reverse() : [];
  const parts = [
    overall(s),
    `<div class="cards">${identity(s)}${chainAndCalendar(s)}${weights(s)}${facilitator(s)}</div>`,
    batches(s),
    v.details ? miners(s, batchList.map((b) => b.block), rounds.map((w) => `${w.cycle.start}–${w.cycle.stop}`)) : '',
    v.details ? live(s) : '',
    v.details ? events(s) : '',
    access(v),
    health(s),
  ];
  return parts.join('\n');
}

function card(id: string, title: string, body: string): string {
  return `<section class="card" id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function dl(rows: [string, string][]): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function sectionBody<T>(section: Section<T>, what: string, render: (value: T) => string): string {
  return section.ok ? render(section.value) : failure(what, section.error);
}
