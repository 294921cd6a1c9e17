import { Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { parseReceiptLine, Receipt, receiptPage } from '../../protocol';
import { ReceiptTransferRepository } from '../persistence/receipt-transfer.repository';
import { ReceiptsService } from '../receipts.service';
import { ReceiptTransferMetrics } from './receipt-transfer.metrics';

export interface ReceiptSourceMiner {
  hotkey: string;
  address: string;
  port: number;
}

export interface PageResult {
  stored: number;
  lineErrors: number;
  transferError: string | null;
}

/** A page's result with the error names the metrics count. */
interface PageOutcome extends PageResult {
  lineErrorTypes: Record<string, number>;
  transferErrorType: string | null;
}

/** Brackets IPv6 literals (the reference does not; an unbracketed IPv6 URL is invalid). */
function hostPart(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/**
 * Fetches receipt pages from miners (miner-protocol.md §10.5): checkpointed Range requests, both
 * signatures verified per line, insert-or-ignore. Checkpoints live in `receipt_transfer_checkpoint`.
 */
@Injectable()
export class ReceiptTransferService {
  private readonly logger = new Logger(ReceiptTransferService.name);

  constructor(
    private readonly rows: ReceiptTransferRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly events: SystemEventsService,
    private readonly receipts: ReceiptsService,
    @Optional() private readonly metrics?: ReceiptTransferMetrics,
  ) {}

  /** Miners to fetch from: DEBUG_FETCH_RECEIPTS_FROM_MINERS (`hotkey:ip:port`) or the serving metagraph miners. */
  async miners(): Promise<ReceiptSourceMiner[]> {
    const debug = this.config.facilitator.DEBUG_FETCH_RECEIPTS_FROM_MINERS;
    if (debug.length) {
      return debug.map((spec) => {
        const first = spec.indexOf(':');
        const last = spec.lastIndexOf(':');
        return { hotkey: spec.slice(0, first), address: spec.slice(first + 1, last), port: Number(spec.slice(last + 1)) };
      });
    }
    return this.rows.servingMiners();
  }

  currentPage(): number {
    return receiptPage(Math.floor(this.clock.now() / 1000));
  }

  async fetchPage(miner: ReceiptSourceMiner, page: number, timeoutMs: number): Promise<PageResult> {
    const { lineErrorTypes, transferErrorType, ...result } = await this.transferPage(miner, page, timeoutMs);
    const m = this.metrics;
    if (m) {
      m.receipts.inc(result.stored);
      if (transferErrorType) m.transferErrors.inc({ exc_type: transferErrorType });
      else m.successfulTransfers.inc();
      for (const [type, n] of Object.entries(lineErrorTypes)) m.lineErrors.inc({ exc_type: type }, n);
    }
    return result;
  }

  private async transferPage(miner: ReceiptSourceMiner, page: number, timeoutMs: number): Promise<PageOutcome> {
    const none = { lineErrorTypes: {}, transferErrorType: null };
    const url = `http://${hostPart(miner.address)}:${miner.port}/receipts/${page}.jsonl`;
    const checkpoint = await this.checkpoint(url);
    const headers: Record<string, string> = checkpoint > 0n ? { Range: `bytes=${checkpoint}-`, 'Accept-Encoding': 'identity' } : { 'Accept-Encoding': 'gzip' };
    let res: Response;
    let body: string;
    try {
      res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      if (res.status === 404 || res.status === 416) {
        await res.body?.cancel();
        return { stored: 0, lineErrors: 0, transferError: null, ...none };
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel();
        return { stored: 0, lineErrors: 0, transferError: `HTTP ${res.status}`, lineErrorTypes: {}, transferErrorType: 'HTTPStatusError' };
      }
      body = await res.text();
    } catch (e) {
      const name = e instanceof Error ? e.name : 'Error';
      return { stored: 0, lineErrors: 0, transferError: e instanceof Error ? `${e.name}: ${e.message}` : String(e), lineErrorTypes: {}, transferErrorType: name };
    }
    const good: Receipt[] = [];
    const lineErrorTypes: Record<string, number> = {};
    let lineErrors = 0;
    const lines = body.split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) {
      const parsed = parseReceiptLine(line);
      if (!parsed.ok || !this.receipts.verifies(parsed.value)) {
        lineErrors++;
        const type = parsed.ok ? 'InvalidSignature' : 'ReceiptParseError';
        lineErrorTypes[type] = (lineErrorTypes[type] ?? 0) + 1;
        continue;
      }
      good.push(parsed.value);
    }
    let stored = 0;
    try {
      stored = good.length ? await this.receipts.store(good.map((r) => ({ payload: r.payload, validatorSignature: r.validator_signature, minerSignature: r.miner_signature ?? null }))) : 0;
    } catch (e) {
      return { stored: 0, lineErrors, transferError: `storing receipts failed: ${(e as Error).message}`, lineErrorTypes, transferErrorType: 'StoreError' };
    }
    // A 200 to a range request is a full body: the new checkpoint is its length (the reference would fail here).
    let next = BigInt(Buffer.byteLength(body));
    if (res.status === 206) {
      const total = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
      next = total ? BigInt(total[1]) : checkpoint + next;
    }
    await this.setCheckpoint(url, next);
    return { stored, lineErrors, transferError: null, lineErrorTypes, transferErrorType: null };
  }

  /** One pass over `pages` (newest first) for every miner, `concurrency` requests at a time. */
  async transferPages(pages: number[], opts: { timeoutMs: number; concurrency: number }): Promise<{ stored: number; lineErrors: number; transferErrors: number }> {
    const miners = await this.miners();
    const started = performance.now();
    this.metrics?.miners.set(miners.length);
    const total = { stored: 0, lineErrors: 0, transferErrors: 0 };
    for (const page of pages) {
      const queue = [...miners];
      const worker = async () => {
        for (let m = queue.shift(); m; m = queue.shift()) {
          const r = await this.fetchPage(m, page, opts.timeoutMs);
          total.stored += r.stored;
          total.lineErrors += r.lineErrors;
          if (r.transferError) {
            total.transferErrors++;
            this.logger.debug({ miner: m.hotkey, page, reason: r.transferError }, 'receipt page transfer failed');
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, miners.length)) }, worker));
    }
    this.metrics?.transferDuration.observe((performance.now() - started) / 1000);
    return total;
  }

  /** One-shot mode: every page from now - 5 h to now, newest first (timeout 3 s, concurrency 50). */
  async catchUp(): Promise<{ stored: number; lineErrors: number; transferErrors: number }> {
    const current = this.currentPage();
    const cutoff = receiptPage(Math.floor(this.clock.now() / 1000) - 5 * 3600);
    const pages: number[] = [];
    for (let p = current; p >= cutoff; p--) pages.push(p);
    return this.transferPages(pages, { timeoutMs: 3000, concurrency: 50 });
  }

  /** Daemon mode: active pages first, then older pages alongside a keep-up loop, while enabled. */
  async runDaemon(signal: AbortSignal): Promise<void> {
    const cutoffPage = receiptPage(Math.floor(this.clock.now() / 1000) - 5 * 3600);
    let saidOff = false;
    const waitEnabled = async () => {
      while (!signal.aborted && !(await this.dynamic.get('DYNAMIC_RECEIPT_TRANSFER_ENABLED'))) {
        // said once per pause: the daemon runs this loop all the time and the flag is off by default
        if (!saidOff) this.logger.log('DYNAMIC_RECEIPT_TRANSFER_ENABLED is off; receipt transfer paused (checked every 60 s)');
        saidOff = true;
        await this.clock.sleep(60_000, signal).catch(() => undefined);
      }
      saidOff = false;
    };
    await waitEnabled();
    if (signal.aborted) return;
    const cur = this.currentPage();
    await this.transferPages([cur, cur - 1], { timeoutMs: 3000, concurrency: 50 });
    const older = (async () => {
      for (let p = cur - 2; p >= cutoffPage && !signal.aborted; p--) {
        this.metrics?.catchupPagesLeft.set(p - cutoffPage + 1);
        await waitEnabled();
        await this.transferPages([p], { timeoutMs: 3000, concurrency: 10 });
      }
      this.metrics?.catchupPagesLeft.set(0);
    })();
    const keepUp = (async () => {
      while (!signal.aborted) {
        await waitEnabled();
        const started = this.clock.now();
        const c = this.currentPage();
        const r = await this.transferPages([c, c - 1], { timeoutMs: 1000, concurrency: 50 });
        if (r.transferErrors) void this.events.record({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_FETCH_ERROR', description: `${r.transferErrors} receipt page transfers failed`, data: { stored: r.stored, line_errors: r.lineErrors } });
        const interval = (await this.dynamic.get('DYNAMIC_RECEIPT_TRANSFER_INTERVAL')) * 1000;
        await this.clock.sleep(Math.max(0, interval - (this.clock.now() - started)), signal).catch(() => undefined);
      }
    })();
    await Promise.all([older, keepUp]);
  }

  private async checkpoint(url: string): Promise<bigint> {
    return this.rows.checkpoint(url);
  }

  private async setCheckpoint(url: string, position: bigint): Promise<void> {
    await this.rows.setCheckpoint(url, position);
  }
}
