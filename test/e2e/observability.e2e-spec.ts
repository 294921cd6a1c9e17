import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { runDemo, type DemoResult } from '../../src/devnet/demo/run-demo';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Not committed (.gitignore): the status page at the end of the run, for people to look at. */
export const SCREENSHOT = resolve(__dirname, '../../test-output/observability/status-page.png');

type Samples = Map<string, number>;

/** Prometheus text → series ("name{labels}") → value. */
function parseMetrics(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** Sum of every series of `name` whose labels contain `labels` (e.g. 'kind="commit"'). */
function total(s: Samples, name: string, labels = ''): number | undefined {
  let sum: number | undefined;
  for (const [series, v] of s) {
    const bare = series.split('{')[0];
    if (bare === name && series.includes(labels)) sum = (sum ?? 0) + v;
  }
  return sum;
}

interface PageObservation {
  at: number;
  head: number | null;
  overall: string | null;
  reasons: string[];
  nextBatch: { block: string; state: string; chosenAt: string } | null;
  cycle: { start: number; stop: number } | null;
  liveJobs: number;
  resultCharts: number;
  weightCharts: number;
  minerRows: number;
}

/** Read in the page (a string: the test is type-checked without the DOM library). */
const OBSERVE = `(() => {
  const q = (s) => document.querySelector(s);
  const next = q('#next-batch');
  const cycle = q('#cycle');
  const head = q('#chain-block');
  return {
    at: Date.now(),
    head: head ? Number(head.textContent) : null,
    overall: q('#overall') ? q('#overall').dataset.state : null,
    reasons: [...document.querySelectorAll('#overall-reasons li')].map((li) => li.textContent || ''),
    nextBatch: next ? { block: next.dataset.block || '', state: next.dataset.state || '', chosenAt: next.dataset.chosenAt || '' } : null,
    cycle: cycle ? { start: Number(cycle.dataset.start), stop: Number(cycle.dataset.stop) } : null,
    liveJobs: document.querySelectorAll('#live-jobs li').length,
    resultCharts: document.querySelectorAll('#miners-table svg.chart.results').length,
    weightCharts: document.querySelectorAll('#miners-table svg.chart.weights polyline').length,
    minerRows: document.querySelectorAll('#miners-table tbody tr').length,
  };
})()`;

/** How far the page and its tables stick out at the viewport's width (0: they fit). */
const OVERFLOW = `(() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  tables: Math.max(0, ...[...document.querySelectorAll('table')].map((t) => t.scrollWidth - t.parentElement.clientWidth)),
}))()`;

async function observe(page: Page): Promise<PageObservation> {
  return (await page.evaluate(OBSERVE)) as PageObservation;
}

/**
 * Issue 17's acceptance run: a real devnet (subtensor runtime, 8 simulated miners of every kind,
 * the simulated facilitator, the real daemon) for one cycle, with /metrics scraped throughout and
 * the status page open in headless Chromium at 1400 px.
 */
describe('metrics and status page during a devnet run', () => {
  let result: DemoResult;
  const scrapes: Samples[] = [];
  const observations: PageObservation[] = [];
  const scheduled: { block: number; at: number }[] = [];
  let finalPage: PageObservation;
  let pageText = '';
  let ownHotkey = '';
  let minerHotkeys: string[] = [];
  let overflow: { page: number; tables: number } = { page: 0, tables: 0 };

  beforeAll(async () => {
    let browser: Browser | undefined;
    // The subnet owner's published dynamic config, served locally with no values in it (mainnet
    // values are not for a devnet): the daemon fetches it like the real one and reports the fetch.
    const configServer: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    await new Promise<void>((r) => configServer.listen(0, '127.0.0.1', () => r()));
    const configUrl = `http://127.0.0.1:${(configServer.address() as { port: number }).port}/`;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const b = browser;
      let page: Page | undefined;
      result = await runDemo({
        miners: 8,
        executorsPerMiner: 1,
        cycles: 1,
        organicJobIntervalMs: 1000,
        timeoutMs: 400_000,
        daemonEnv: { DYNAMIC_RECEIPT_TRANSFER_ENABLED: 'true', DYNAMIC_CONFIG_BASE_URL: configUrl },
        log: (line) => process.stdout.write(`${line}\n`),
        during: async ({ daemonUrl, statusToken, done }) => {
          const scrape = async () => {
            try {
              scrapes.push(parseMetrics(await (await fetch(`${daemonUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text()));
            } catch {
              // a scrape lost to a busy moment is taken again 2 s later
            }
          };
          await scrape();
          // the calendar's own record of each batch it scheduled
          const feed = new WebSocket(`${daemonUrl.replace('http', 'ws')}/ws/events`, { headers: { Authorization: `Bearer ${statusToken}` } });
          feed.on('message', (data: Buffer) => {
            const e = JSON.parse(data.toString()) as { kind: string; type?: string; data?: { block?: number } };
            if (e.kind === 'system_event' && e.type === 'VALIDATOR_SYNTHETIC_JOB_SCHEDULED' && typeof e.data?.block === 'number') scheduled.push({ block: e.data.block, at: Date.now() });
          });
          page = await b.newPage({ viewport: { width: 1400, height: 900 } });
          // log in through the page's own form (the cookie also opens the live feed's details)
          await page.goto(`${daemonUrl}/`);
          await page.fill('input[name="token"]', statusToken);
          await Promise.all([page.waitForNavigation(), page.click('#access button[type="submit"]')]);
          await page.waitForSelector('#live-status:has-text("live")', { timeout: 30_000 });
          while (!done.aborted) {
            await new Promise((r) => setTimeout(r, 2000));
            await scrape();
            observations.push(await observe(page));
          }
          feed.close();
        },
        inspect: async (url) => {
          scrapes.push(parseMetrics(await (await fetch(`${url}/metrics`)).text()));
          if (!page) throw new Error('the status page was never opened');
          await page.reload();
          await page.waitForSelector('#live-status:has-text("live")', { timeout: 30_000 });
          finalPage = await observe(page);
          pageText = await page.innerText('body');
          ownHotkey = (await page.getAttribute('#identity .key', 'title')) ?? '';
          minerHotkeys = await page.$$eval('#miners-table tbody tr td:nth-child(2) .key', (cells) => cells.map((c) => c.getAttribute('title') ?? ''));
          overflow = (await page.evaluate(OVERFLOW)) as { page: number; tables: number };
          mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
          await page.screenshot({ path: SCREENSHOT, fullPage: true });
          process.stdout.write(`status page screenshot: ${SCREENSHOT}\n`);
        },
      });
    } finally {
      await browser?.close();
      configServer.closeAllConnections();
      await new Promise((r) => configServer.close(r));
    }
  }, 560_000);

  const first = () => scrapes[0];
  const last = () => scrapes[scrapes.length - 1];
  /** First and last value; a gauge that was unknown (NaN) at first counts from 0. */
  const moved = (name: string, labels = '', unknownAtFirst = false) => {
    const initial = total(first(), name, labels) ?? 0;
    const a = unknownAtFirst && Number.isNaN(initial) ? 0 : initial;
    const b = total(last(), name, labels);
    return { before: a, after: b };
  };

  it('runs a batch, sets weights through commit and reveal and completes organic jobs', () => {
    expect(result.ok).toBe(true);
    expect(result.batchesRun).toBeGreaterThanOrEqual(1);
    expect(result.organicCompleted).toBeGreaterThan(0);
    expect(scrapes.length).toBeGreaterThan(5);
  });

  it('moves the chain, batch, weights, facilitator and organic metrics', () => {
    const report: Record<string, string> = {};
    const stuck: string[] = [];
    const check = (name: string, labels = '', unknownAtFirst = false) => {
      const m = moved(name, labels, unknownAtFirst);
      report[`${name}{${labels}}`] = `${m.before} -> ${m.after}`;
      if (!(m.after !== undefined && m.after > m.before)) stuck.push(`${name}{${labels}}: ${m.before} -> ${m.after}`);
    };
    check('validator_chain_head_block', '', true);
    check('validator_synthetic_jobs_total');
    check('validator_synthetic_batches_total', 'outcome="finished"');
    check('validator_synthetic_batch_duration_seconds_count');
    // a hash commit (runtime 218) or a drand-timelocked one (293): kind="commit" or kind="timelocked_commit"
    check('validator_weights_submissions_total', 'commit"');
    check('validator_weights_submissions_total', 'kind="reveal"');
    check('validator_organic_job_status_total');
    check('validator_miner_incident_reported_total');
    check('receipttransfer_receipts_total');
    check('receipttransfer_successful_transfers_total');
    check('receipttransfer_transfer_duration_count');
    process.stdout.write(`metrics, first scrape -> last: ${JSON.stringify(report, null, 1)}\n`);
    expect(total(last(), 'validator_chain_connected')).toBe(1);
    expect(total(last(), 'validator_chain_head_age_seconds')).toBeLessThan(30);
    expect(total(last(), 'validator_facilitator_connected')).toBe(1);
    expect(total(last(), 'receipttransfer_miners')).toBe(8);
    // the newest weights on chain: unknown (NaN) before the first commit, then a block and a small age
    expect(total(first(), 'validator_weights_last_set_block')).toBeNaN();
    expect(total(last(), 'validator_weights_last_set_block')).toBeGreaterThan(0);
    expect(total(last(), 'validator_weights_last_set_age_seconds')).toBeLessThan(300);
    expect(scrapes.some((s) => (total(s, 'validator_organic_jobs_running') ?? 0) > 0)).toBe(true);
    // the dynamic config fetched at start: its age grows from one scrape to the next, no failures
    const ages = scrapes.map((s) => total(s, 'validator_dynamic_config_fetch_age_seconds', 'source="json"')).filter((a): a is number => a !== undefined);
    expect(ages.length).toBeGreaterThan(2);
    expect(new Set(ages).size).toBeGreaterThan(1);
    expect(Math.max(...ages)).toBeLessThan(600);
    expect(stuck).toEqual([]);
    expect(total(last(), 'validator_dynamic_config_fetch_failures', 'source="json"')).toBe(0);
  });

  it('shows the overall state with its reasons, and the next batch where the calendar put it', () => {
    process.stdout.write(`overall at the end: ${finalPage.overall} ${JSON.stringify(finalPage.reasons)}\n`);
    expect(['ok', 'degraded']).toContain(finalPage.overall);
    if (finalPage.overall !== 'ok') expect(finalPage.reasons.length).toBeGreaterThan(0);
    expect(scheduled.length).toBeGreaterThanOrEqual(1);
    const concrete = observations.filter((o) => o.nextBatch && (o.nextBatch.state === 'scheduled' || o.nextBatch.state === 'due'));
    expect(concrete.length).toBeGreaterThan(0);
    for (const o of observations) {
      if (!o.nextBatch || o.head === null || !o.cycle) continue;
      const length = o.cycle.stop - o.cycle.start;
      expect(o.head).toBeGreaterThanOrEqual(o.cycle.start);
      expect(o.head).toBeLessThan(o.cycle.stop);
      if (o.nextBatch.state === 'scheduled' || o.nextBatch.state === 'due') {
        const block = Number(o.nextBatch.block);
        // a batch the calendar scheduled (its own event), never one that has passed
        expect(scheduled.map((s) => s.block)).toContain(block);
        if (o.nextBatch.state === 'scheduled') expect(block).toBeGreaterThan(o.head);
        else expect(block).toBeGreaterThanOrEqual(o.head - 3);
        expect(block).toBeGreaterThanOrEqual(o.cycle.start);
        expect(block).toBeLessThan(o.cycle.stop + length);
      } else {
        expect(o.nextBatch.state).toBe('next-cycle');
        expect(Number(o.nextBatch.chosenAt)).toBe(o.cycle.stop - 3);
      }
    }
  });

  it('shows live job statuses and a chart per miner, without the validator itself, stack traces or overflow at 1400 px', () => {
    expect(finalPage.minerRows).toBe(8);
    expect(finalPage.resultCharts).toBe(8);
    expect(finalPage.weightCharts).toBe(8);
    expect(ownHotkey).toMatch(/^5/);
    expect(minerHotkeys).toHaveLength(8);
    expect(minerHotkeys).not.toContain(ownHotkey);
    for (const m of result.miners) expect(minerHotkeys).toContain(m.hotkey);
    expect(pageText).not.toMatch(/connected connected/);
    expect(pageText).not.toMatch(/\bat \S+ \(\/|stdout=|stderr=/);
    expect(overflow).toEqual({ page: 0, tables: 0 });
    expect(Math.max(...observations.map((o) => o.liveJobs), finalPage.liveJobs)).toBeGreaterThan(0);
  });
});
