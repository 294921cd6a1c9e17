import type { IncomingMessage, ServerResponse } from 'http';
import { receiptPage, serializeReceipt, type Receipt } from '../../protocol';

const RECEIPTS_PATH = /^\/receipts\/(\d+)\.jsonl$/;

/** The miner's receipt pages (§10.4): one JSONL page per receipt-page period, served over HTTP with Range support. */
export class ReceiptPages {
  private readonly pages = new Map<number, string>();

  append(receipt: Receipt, nowMs: number): void {
    const page = receiptPage(Math.floor(nowMs / 1000));
    this.pages.set(page, (this.pages.get(page) ?? '') + serializeReceipt(receipt) + '\n');
  }

  /** GET /receipts/{page}.jsonl: 200 with the page, 206 from a `bytes=N-` Range, 416 past its end, 404 otherwise. */
  serve(req: IncomingMessage, res: ServerResponse): void {
    const m = RECEIPTS_PATH.exec((req.url ?? '').split('?')[0]);
    if (req.method !== 'GET' || !m) {
      res.writeHead(404).end();
      return;
    }
    const body = Buffer.from(this.pages.get(Number(m[1])) ?? '', 'utf8');
    if (!this.pages.has(Number(m[1]))) {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Content-Type': 'application/jsonl' });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/jsonl', 'Content-Length': String(body.length) }).end(body);
  }
}
