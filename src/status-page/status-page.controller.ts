import { Body, Controller, Get, Header, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { renderStatusPage } from './render/page';
import { renderSections, type Viewer } from './render/sections';
import { StatusAccess } from './status-access';
import { StatusSnapshotService, type StatusSnapshot } from './status-snapshot.service';

interface Rendered {
  page?: string;
  partial?: string;
  json?: string;
}

/**
 * `/`: the status page (server-rendered, no build step); `/?partial=1`: its refreshable part;
 * `/status.json`: the same data. Without the token they hold aggregates only. Renders are cached
 * per snapshot, so a flood of requests costs string copies, not database reads or rendering.
 */
@Controller()
export class StatusPageController {
  private readonly rendered = new WeakMap<StatusSnapshot, Map<string, Rendered>>();

  constructor(
    private readonly snapshots: StatusSnapshotService,
    private readonly access: StatusAccess,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async page(@Req() req: Request, @Res() res: Response, @Query('partial') partial?: string, @Query('login') login?: string): Promise<void> {
    const viewer: Viewer = { details: this.access.authorized(req), tokenEnabled: this.access.enabled, loginFailed: login === 'failed' };
    const snapshot = await this.snapshots.snapshot();
    const cache = this.cacheFor(snapshot, viewer);
    const body = partial
      ? (cache.partial ??= renderSections(snapshot, viewer))
      : (cache.page ??= renderStatusPage(snapshot, viewer, `ComputeHorde validator · netuid ${this.config.chain.BITTENSOR_NETUID}`));
    res.type('html').send(body);
  }

  @Get('status.json')
  @Header('Cache-Control', 'no-store')
  async json(@Req() req: Request, @Res() res: Response): Promise<void> {
    const details = this.access.authorized(req);
    const snapshot = await this.snapshots.snapshot();
    const cache = this.cacheFor(snapshot, { details, tokenEnabled: this.access.enabled });
    res.type('json').send((cache.json ??= statusJson(snapshot, details)));
  }

  /** The page's token form: a valid token sets the session cookie. Failed attempts are limited per address. */
  @Post('login')
  login(@Req() req: Request, @Res() res: Response, @Body() body: { token?: unknown }): void {
    const address = req.socket.remoteAddress ?? 'unknown';
    if (!this.access.allowAttempt(address)) {
      res.status(429).type('text').send('Too many wrong tokens; try again in a minute.');
      return;
    }
    const token = typeof body?.token === 'string' ? body.token : '';
    if (!this.access.enabled || !this.access.tokenMatches(token)) {
      this.access.recordFailure(address);
      res.redirect(303, '/?login=failed');
      return;
    }
    res.setHeader('Set-Cookie', this.access.sessionCookie());
    res.redirect(303, '/');
  }

  @Post('logout')
  logout(@Res() res: Response): void {
    res.setHeader('Set-Cookie', StatusAccess.clearedCookie());
    res.redirect(303, '/');
  }

  private cacheFor(snapshot: StatusSnapshot, viewer: Viewer): Rendered {
    let byViewer = this.rendered.get(snapshot);
    if (!byViewer) this.rendered.set(snapshot, (byViewer = new Map()));
    const key = `${viewer.details}|${viewer.tokenEnabled}|${viewer.loginFailed ?? false}`;
    let r = byViewer.get(key);
    if (!r) byViewer.set(key, (r = {}));
    return r;
  }
}

/** The snapshot as JSON (bigint as decimal strings); per-miner and per-job data only with `details`. */
export function statusJson(s: StatusSnapshot, details: boolean): string {
  const view = details
    ? s
    : {
        ...s,
        weights: s.weights.ok ? { ok: true, value: s.weights.value.map(({ uids: _u, weights: _w, scores: _s, ...aggregate }) => aggregate) } : s.weights,
        details: undefined,
      };
  return JSON.stringify(view, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
