import { Controller, Get, Header, Query } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { renderStatusPage, renderStatusSections } from './render-status-page';
import { StatusSnapshotService } from './status-snapshot.service';

/** `/`: read-only status page (server-rendered HTML, no build step); `/status.json`: the same data. */
@Controller()
export class StatusPageController {
  constructor(
    private readonly snapshots: StatusSnapshotService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(@Query('partial') partial?: string): Promise<string> {
    const snapshot = await this.snapshots.snapshot();
    if (partial) return renderStatusSections(snapshot);
    return renderStatusPage(snapshot, `ComputeHorde validator · netuid ${this.config.chain.BITTENSOR_NETUID}`);
  }

  @Get('status.json')
  @Header('Cache-Control', 'no-store')
  async json(): Promise<string> {
    return JSON.stringify(await this.snapshots.snapshot(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}
