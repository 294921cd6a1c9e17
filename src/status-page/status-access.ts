import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** Name of the cookie that carries the status-page session (an HMAC of the token, never the token). */
export const STATUS_COOKIE = 'chv_status';

/** Failed logins allowed per client address per minute before /login answers 429. */
const FAILED_LOGINS_PER_MINUTE = 5;

/**
 * Who may see the status page's details (per-miner rows, job statuses, system events, the live
 * feed). Aggregates are public to whoever reaches the port; details need `STATUS_PAGE_TOKEN`,
 * given once on the page's form (then an HttpOnly cookie holds an HMAC of it) or as
 * `Authorization: Bearer <token>` (scripts). Without a configured token nobody sees details.
 */
@Injectable()
export class StatusAccess {
  private readonly token: Buffer | null;
  private readonly session: Buffer | null;
  private readonly failures = new Map<string, number[]>();

  constructor(config: AppConfig) {
    const token = config.core.STATUS_PAGE_TOKEN;
    this.token = token ? digest(token) : null;
    this.session = token ? Buffer.from(createHmac('sha256', token).update('status-page-session-v1').digest('hex')) : null;
  }

  /** Whether a token is configured at all (the page says how to unlock details). */
  get enabled(): boolean {
    return this.token !== null;
  }

  /** True when the request carries the token (Bearer) or a session cookie made from it. */
  authorized(req: Pick<IncomingMessage, 'headers'>): boolean {
    if (!this.token || !this.session) return false;
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) return this.tokenMatches(auth.slice(7).trim());
    const cookie = readCookie(req.headers.cookie, STATUS_COOKIE);
    return cookie !== undefined && cookie.length === this.session.length && timingSafeEqual(Buffer.from(cookie), this.session);
  }

  tokenMatches(candidate: string): boolean {
    return this.token !== null && timingSafeEqual(digest(candidate), this.token);
  }

  /** The Set-Cookie value after a successful login (session cookie, HttpOnly, same-site only). */
  sessionCookie(): string {
    if (!this.session) throw new Error('no status-page token is configured');
    return `${STATUS_COOKIE}=${this.session.toString()}; Path=/; HttpOnly; SameSite=Strict`;
  }

  static clearedCookie(): string {
    return `${STATUS_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }

  /** Records a failed login; false once the address has used up its attempts for this minute. */
  allowAttempt(address: string, now = Date.now()): boolean {
    const recent = (this.failures.get(address) ?? []).filter((t) => now - t < 60_000);
    if (recent.length === 0) this.failures.delete(address);
    else this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.failures.clear(); // bounded even under a spray of addresses
    return recent.length < FAILED_LOGINS_PER_MINUTE;
  }

  recordFailure(address: string, now = Date.now()): void {
    const recent = this.failures.get(address) ?? [];
    recent.push(now);
    this.failures.set(address, recent);
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
