import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  status?: number;
  body: string;
  /** Hold the answer back this long (to keep a fetch in flight). */
  delayMs?: number;
}

/** A local HTTP server for the published dynamic-config files; `files` can change between requests. */
export interface FileServer {
  baseUrl: string;
  files: Map<string, ServedFile | ServedFile[]>;
  requests: { path: string; userAgent?: string }[];
  close(): Promise<void>;
}

export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, ServedFile | ServedFile[]>();
  const requests: { path: string; userAgent?: string }[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.push({ path, userAgent: req.headers['user-agent'] });
    const entry = files.get(path);
    // An array is a script: each request takes the next answer, the last one repeats.
    const file = Array.isArray(entry) ? (entry.length > 1 ? entry.shift() : entry[0]) : entry;
    const send = () => {
      if (!file) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(file.status ?? 200, { 'content-type': 'text/plain; charset=utf-8' }).end(file.body);
    };
    if (file?.delayMs) setTimeout(send, file.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/config/`,
    files,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
