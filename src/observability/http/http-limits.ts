import type { Server } from 'node:http';

/**
 * Limits of the daemon's one inbound HTTP port (/health, /metrics, the status page, /ws/events).
 * Everything it serves is small and fast; a client that is slow to send its request, keeps idle
 * sockets or opens hundreds of them is cut off instead of holding memory and file descriptors.
 */
export const HTTP_LIMITS = {
  /** Open sockets at once (Prometheus, a few browsers and the Docker healthcheck need a handful). */
  maxConnections: 256,
  /** Time to receive the request headers / the whole request. */
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  /** Idle keep-alive sockets are closed after this long. */
  keepAliveTimeoutMs: 5_000,
  maxHeadersCount: 64,
  /** Requests per keep-alive socket before it is closed (spreads a flood over new connections). */
  maxRequestsPerSocket: 1000,
} as const;

export function applyHttpLimits(server: Server): void {
  server.maxConnections = HTTP_LIMITS.maxConnections;
  server.headersTimeout = HTTP_LIMITS.headersTimeoutMs;
  server.requestTimeout = HTTP_LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = HTTP_LIMITS.keepAliveTimeoutMs;
  server.maxHeadersCount = HTTP_LIMITS.maxHeadersCount;
  server.maxRequestsPerSocket = HTTP_LIMITS.maxRequestsPerSocket;
}
