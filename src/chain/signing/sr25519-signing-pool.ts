import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyringPair } from '@polkadot/keyring/types';
import { sr25519KeysOf } from '../../protocol/facilitator/sr25519-fast';
import { isReady as wasmIsReady, sr25519Sign as wasmSr25519Sign } from '@polkadot/wasm-crypto';

/**
 * sr25519 signatures on a worker thread. A synthetic batch signs three receipts per job (6,000+ per
 * batch at ~130 µs each in wasm): done on the event loop, that is a second of CPU during which no
 * miner's frame is read. The worker takes requests in batches (everything asked for in one turn of
 * the event loop goes in one message) and returns ordinary sr25519 signatures over the same bytes.
 *
 * The secret key is handed to the worker through workerData (in-process memory, like the pair
 * itself); it is never logged. If the worker cannot start or dies, signing continues on the calling
 * thread: a signature is never lost.
 */

// Plain CommonJS so that it runs without a TypeScript loader (tests, ts-node and dist alike).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const wasm = require(workerData.wasmCryptoPath);
const { publicKey, secretKey } = workerData;
wasm.waitReady().then(() => {
  parentPort.on('message', ({ id, bytes, ends }) => {
    try {
      const out = new Uint8Array(64 * ends.length);
      let start = 0;
      for (let i = 0; i < ends.length; i++) {
        out.set(wasm.sr25519Sign(publicKey, secretKey, bytes.subarray(start, ends[i])), 64 * i);
        start = ends[i];
      }
      parentPort.postMessage({ id, signatures: out }, [out.buffer]);
    } catch (e) {
      parentPort.postMessage({ id, error: String((e && e.message) || e) });
    }
  });
  parentPort.postMessage({ ready: true });
}, (e) => parentPort.postMessage({ fatal: String((e && e.message) || e) }));
`;

interface Pending {
  message: Uint8Array;
  resolve: (signature: Uint8Array) => void;
  reject: (error: Error) => void;
}

type WorkerReply = { ready: true } | { fatal: string } | { id: number; signatures: Uint8Array } | { id: number; error: string };

interface Slot {
  worker: Worker;
  ready: boolean;
  gone: boolean;
  /** Batches posted and not answered: while there are any (or someone awaits start-up) the worker is ref'd. */
  pending: number;
}

export interface SigningPoolOptions {
  /** Worker threads (default: 2, or 1 on a single-core machine). */
  threads?: number;
  /** Told when a worker fails to start or dies (its work is then signed on the calling thread). */
  onWorkerLost?: (reason: string) => void;
}

export class Sr25519SigningPool {
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, { batch: Pending[]; slot: Slot }>();
  private readonly slots: Slot[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private closed = false;
  private readonly settledWaiters: (() => void)[] = [];
  /** Signatures made on worker threads and on the calling thread (for tests and diagnostics). */
  readonly counts = { onWorkers: 0, here: 0 };

  private constructor(
    private readonly keys: { publicKey: Uint8Array; secretKey: Uint8Array },
    /** Signs on the calling thread: until a worker is up, after the workers died, and after close(). */
    private readonly signHere: (message: Uint8Array) => Uint8Array,
    threads: number,
    private readonly onWorkerLost: (reason: string) => void = () => undefined,
  ) {
    for (let i = 0; i < threads; i++) this.startWorker();
  }

  /**
   * A pool for `pair`, or null when the pair cannot sign on another thread (locked, not sr25519, or
   * wasm not initialised: call cryptoWaitReady first); callers then sign with the pair itself.
   */
  static forPair(pair: KeyringPair, options: SigningPoolOptions = {}): Sr25519SigningPool | null {
    const keys = wasmIsReady() ? sr25519KeysOf(pair) : null;
    if (!keys) return null;
    const threads = Math.max(1, options.threads ?? Math.min(2, availableParallelism()));
    return new Sr25519SigningPool(keys, (m) => wasmSr25519Sign(keys.publicKey, keys.secretKey, m), threads, options.onWorkerLost);
  }

  /** How many worker threads are signing now (0 before they are up, after failures, after close()). */
  get workersReady(): number {
    return this.slots.filter((s) => s.ready && !s.gone).length;
  }

  /** Resolves with the number of workers signing once every worker is up or has failed. */
  whenStarted(): Promise<number> {
    if (this.slots.every((s) => s.ready || s.gone)) return Promise.resolve(this.workersReady);
    for (const s of this.slots) if (!s.ready && !s.gone) s.worker.ref();
    return new Promise((resolve) => this.settledWaiters.push(() => resolve(this.workersReady)));
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    if (this.closed) {
      this.counts.here++;
      return Promise.resolve(this.signHere(message));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    while (this.inFlight.size > 0) await new Promise((r) => setImmediate(r));
    const slots = this.slots.splice(0, this.slots.length);
    await Promise.all(slots.map((s) => ((s.gone = true), s.worker.terminate())));
  }

  /** Everything asked for since the last flush, split evenly over the workers that are up. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.queue.length);
    const ready = this.slots.filter((s) => s.ready && !s.gone);
    // No worker up yet (they load wasm first): waiting would stall the caller, so sign here.
    if (ready.length === 0) return this.signAllHere(batch);
    const per = Math.ceil(batch.length / ready.length);
    ready.forEach((slot, k) => {
      const part = batch.slice(k * per, (k + 1) * per);
      if (part.length > 0) this.post(slot, part);
    });
  }

  private post(slot: Slot, batch: Pending[]): void {
    let total = 0;
    for (const p of batch) total += p.message.length;
    const bytes = new Uint8Array(total);
    const ends = new Uint32Array(batch.length);
    let offset = 0;
    batch.forEach((p, i) => {
      bytes.set(p.message, offset);
      offset += p.message.length;
      ends[i] = offset;
    });
    const id = this.nextId++;
    this.inFlight.set(id, { batch, slot });
    if (slot.pending++ === 0) slot.worker.ref();
    slot.worker.postMessage({ id, bytes, ends }, [bytes.buffer, ends.buffer]);
  }

  private startWorker(): void {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        // A worker holds a few KiB of messages at a time: a small young generation saves ~10 MB of RSS
        // each. The old generation must hold wasm-crypto while it loads (24 MB is too little).
        // Should a worker ever run out, it exits, its work is signed here and onWorkerLost says so.
        resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4 },
        workerData: { wasmCryptoPath: require.resolve('@polkadot/wasm-crypto'), publicKey: this.keys.publicKey, secretKey: this.keys.secretKey },
      });
    } catch (e) {
      this.onWorkerLost(`could not start: ${(e as Error).message}`);
      return;
    }
    const slot: Slot = { worker, ready: false, gone: false, pending: 0 };
    this.slots.push(slot);
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.notifyIfStarted();
      } else if ('fatal' in reply) {
        this.abandon(slot, `could not load sr25519 (${reply.fatal})`);
      } else {
        const entry = this.inFlight.get(reply.id);
        this.inFlight.delete(reply.id);
        if (!entry) return;
        if (--slot.pending === 0) slot.worker.unref();
        if ('error' in reply) this.signAllHere(entry.batch);
        else {
          this.counts.onWorkers += entry.batch.length;
          entry.batch.forEach((p, i) => p.resolve(reply.signatures.slice(64 * i, 64 * i + 64)));
        }
      }
    });
    worker.on('error', (e) => this.abandon(slot, e.message));
    worker.on('exit', (code) => this.abandon(slot, `exited with code ${code}`));
    // An idle worker must never keep the process alive (unref after the listeners: adding a 'message'
    // listener refs the worker again); it is ref'd while work is posted to it.
    worker.unref();
  }

  /** A worker is gone: whatever it had not answered is signed here. */
  private abandon(slot: Slot, reason: string): void {
    const wasGone = slot.gone;
    slot.gone = true;
    if (!wasGone && !this.closed) this.onWorkerLost(reason);
    for (const [id, entry] of this.inFlight) {
      if (entry.slot !== slot) continue;
      this.inFlight.delete(id);
      this.signAllHere(entry.batch);
    }
    this.notifyIfStarted();
    if (!wasGone) void slot.worker.terminate();
  }

  private notifyIfStarted(): void {
    if (!this.slots.every((s) => s.ready || s.gone)) return;
    for (const s of this.slots) if (s.pending === 0 && !s.gone) s.worker.unref();
    for (const w of this.settledWaiters.splice(0, this.settledWaiters.length)) w();
  }

  private signAllHere(batch: Pending[]): void {
    this.counts.here += batch.length;
    for (const p of batch) {
      try {
        p.resolve(this.signHere(p.message));
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
}
