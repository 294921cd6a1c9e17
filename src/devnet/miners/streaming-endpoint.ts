import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SelfSignedCertificate } from '../../common/self-signed-certificate';

/**
 * The executor's TLS front of a streaming job (miner-protocol.md §7.3: nginx in front of the job
 * container): HTTPS on `host`, client certificate required and accepted only if it is exactly the
 * one the job's StreamingDetails named; routes the solver's server-mode API (synthetic-jobs.md
 * §5.3.2): GET /health, POST /execute-job, GET /terminate.
 */

export interface StreamingEndpointOptions {
  host: string;
  /** The certificate and key this endpoint serves with. */
  serverCertificate: SelfSignedCertificate;
  /** StreamingDetails.public_key: the only client allowed in. */
  clientCertPem: string;
  /** POST /execute-job with the parsed JSON body; answered once, later calls get 409. */
  onExecute(body: unknown): Promise<{ status: number; json: unknown }>;
}

const MAX_BODY_BYTES = 64 * 1024;

export class StreamingEndpoint {
  /** Resolves when /terminate was called (or the endpoint stopped). */
  readonly terminated: Promise<void>;
  /** Client connections refused because their certificate was not the expected one. */
  refusedClients = 0;
  private resolveTerminated!: () => void;
  private executed = false;
  private readonly expectedClientDer: Buffer;

  private constructor(private readonly server: Server, private readonly opts: StreamingEndpointOptions) {
    this.terminated = new Promise((r) => (this.resolveTerminated = r));
    this.expectedClientDer = new X509Certificate(opts.clientCertPem).raw;
  }

  static async start(opts: StreamingEndpointOptions): Promise<StreamingEndpoint> {
    // The TLS layer trusts only the expected certificate as its own anchor (as nginx's
    // ssl_client_certificate does); the handler also compares the exact bytes.
    const server = createServer({
      cert: opts.serverCertificate.certPem, key: opts.serverCertificate.keyPem(), ca: [opts.clientCertPem], requestCert: true, rejectUnauthorized: true,
    });
    const endpoint = new StreamingEndpoint(server, opts);
    server.on('request', (req, res) => endpoint.onRequest(req, res));
    server.on('tlsClientError', () => endpoint.refusedClients++);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, opts.host, () => resolve());
    });
    return endpoint;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.resolveTerminated();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const peer = (req.socket as TLSSocket).getPeerCertificate?.();
    if (!peer?.raw || !peer.raw.equals(this.expectedClientDer)) {
      this.refusedClients++;
      res.writeHead(403).end();
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/health') return void res.writeHead(200).end('ok');
    if (req.method === 'GET' && path === '/terminate') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      this.resolveTerminated();
      return;
    }
    if (req.method !== 'POST' || path !== '/execute-job') return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (this.executed) return void res.writeHead(409).end('already executed');
      this.executed = true;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return void res.writeHead(400).end('body is not JSON');
      }
      this.opts.onExecute(body).then(
        (r) => res.writeHead(r.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(r.json)),
        (e: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`execution failed: ${(e as Error).message}`),
      );
    });
  }
}
