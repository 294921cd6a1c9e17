import { chromium } from 'playwright-core';
import { runDemo, DemoResult } from '../../src/devnet/demo/run-demo';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The whole validator end to end, small: a real subtensor runtime, 4 simulated miners (honest,
 * wrong answer, honest, silent), the simulated facilitator and the real daemon, for one cycle.
 */
describe('devnet end to end', () => {
  let result: DemoResult;
  let pageText = '';
  let minersOnPage: string[] = [];

  beforeAll(async () => {
    result = await runDemo({
      miners: 4,
      executorsPerMiner: 1,
      cycles: 1,
      timeoutMs: 330_000,
      log: (line) => process.stdout.write(`${line}\n`),
      inspect: async (url, token) => {
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
        try {
          const page = await browser.newPage({ extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
          await page.goto(`${url}/`);
          await page.waitForSelector('#live-status:has-text("live")', { timeout: 15_000 });
          pageText = await page.innerText('body');
          minersOnPage = await page.$$eval('#miners-table tbody tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent ?? ''));
        } finally {
          await browser.close();
        }
      },
    });
  }, 420_000);

  it('sets weights on chain through commit and reveal (runtime 293: timelocked commits the chain reveals itself)', () => {
    expect(result.reason).toBe(result.runtime === 293 ? 'weights revealed by the chain from timelocked commits' : 'weights committed and revealed on chain');
    expect(result.weightsMode).toBe(result.runtime === 293 ? 'timelocked' : 'commit_reveal');
    expect(result.ok).toBe(true);
    expect(result.batchesRun).toBeGreaterThanOrEqual(1);
  });

  it('gives honest miners more weight on chain than lying or silent ones', () => {
    process.stdout.write(`${result.table}\n`);
    const honest = result.miners.filter((m) => m.honest);
    const dishonest = result.miners.filter((m) => !m.honest);
    expect(honest.length).toBeGreaterThan(0);
    expect(dishonest.length).toBeGreaterThan(0);
    // Every honest miner earns weight; the lying and silent ones earn nothing.
    for (const m of honest) expect([m.behaviour, m.uid, m.onChainWeight > 0]).toEqual([m.behaviour, m.uid, true]);
    for (const m of dishonest) expect([m.behaviour, m.uid, m.onChainWeight]).toEqual([m.behaviour, m.uid, 0]);
    for (const m of dishonest) expect(m.syntheticCompleted).toBe(0);
  });

  it('completes organic jobs from the facilitator', () => {
    expect(result.organicCompleted).toBeGreaterThan(0);
  });

  it('shows the demo miners on the status page in a real browser', () => {
    for (const m of result.miners) expect(minersOnPage).toContain(m.hotkey);
    expect(pageText).toContain('Synthetic batches');
    expect(pageText).toContain('Weights');
  });
});
