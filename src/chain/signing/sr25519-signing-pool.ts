import { Worker } from 'node:worker_threads';
import type { KeyringPair } from '@polkadot/keyring/types';
import { decodePair } from '@polkadot/keyring/pair/decode';
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

export class Sr25519SigningPool {
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending[]>();
  private flushScheduled = false;
  private nextId = 1;
  private worker: Worker | null = null;
  private workerReady: Promise<boolean>;
  private closed = false;

  private constructor(
    private readonly keys: { publicKey: Uint8Array; secretKey: Uint8Array },
    /** Signs on the calling thread: before the worker is up, after it died, and after close(). */
    private readonly signHere: (message: Uint8Array) => Uint8Array,
  ) {
    this.workerReady = this.startWorker();
  }

  /**
   * A pool for `pair`, or null when the pair cannot sign on another thread (locked, not sr25519, or
   * wasm not initialised: call cryptoWaitReady first); callers then sign with the pair itself.
   */
  static forPair(pair: KeyringPair): Sr25519SigningPool | null {
    if (pair.type !== 'sr25519' || !wasmIsReady()) return null;
    let keys: { publicKey: Uint8Array; secretKey: Uint8Array };
    try {
      keys = decodePair(undefined, pair.encodePkcs8(), 'none');
    } catch {
      return null;
    }
    if (keys.secretKey.length !== 64 || keys.publicKey.length !== 32) return null;
    return new Sr25519SigningPool(keys, (m) => wasmSr25519Sign(keys.publicKey, keys.secretKey, m));
  }

  /** Whether signatures are being made on the worker thread (false after a failure or close()). */
  get onWorker(): boolean {
    return this.worker !== null;
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    if (this.closed) return Promise.resolve(this.signHere(message));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    await this.drainInFlight();
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.queue.length);
    const worker = (await this.workerReady) ? this.worker : null;
    if (!worker) return this.signAllHere(batch);
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
    this.inFlight.set(id, batch);
    worker.postMessage({ id, bytes, ends }, [bytes.buffer, ends.buffer]);
  }

  private startWorker(): Promise<boolean> {
    return new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { wasmCryptoPath: require.resolve('@polkadot/wasm-crypto'), publicKey: this.keys.publicKey, secretKey: this.keys.secretKey },
        });
      } catch {
        resolve(false);
        return;
      }
      // The worker must never keep the process alive on its own.
      worker.unref();
      worker.on('message', (reply: WorkerReply) => {
        if ('ready' in reply) {
          this.worker = this.closed ? null : worker;
          if (this.closed) void worker.terminate();
          resolve(!this.closed);
        } else if ('fatal' in reply) {
          this.abandon(worker);
          resolve(false);
        } else {
          const batch = this.inFlight.get(reply.id);
          this.inFlight.delete(reply.id);
          if (!batch) return;
          if ('error' in reply) this.signAllHere(batch);
          else batch.forEach((p, i) => p.resolve(reply.signatures.slice(64 * i, 64 * i + 64)));
        }
      });
      worker.on('error', () => {
        this.abandon(worker);
        resolve(false);
      });
      worker.on('exit', () => {
        this.abandon(worker);
        resolve(false);
      });
    });
  }

  /** The worker is gone: whatever it had not answered is signed here. */
  private abandon(worker: Worker): void {
    if (this.worker === worker) this.worker = null;
    this.workerReady = Promise.resolve(false);
    for (const [id, batch] of this.inFlight) {
      this.inFlight.delete(id);
      this.signAllHere(batch);
    }
    void worker.terminate();
  }

  private async drainInFlight(): Promise<void> {
    while (this.inFlight.size > 0) await new Promise((r) => setImmediate(r));
  }

  private signAllHere(batch: Pending[]): void {
    for (const p of batch) {
      try {
        p.resolve(this.signHere(p.message));
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
}
