import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
  ) {}

  /** 200 when every critical check passes, 503 otherwise; the body says which check failed. */
  @Get('health')
  async getHealth(@Res() res: Response): Promise<void> {
    const result = await this.health.evaluate();
    res.status(result.healthy ? 200 : 503).json({ status: result.healthy ? 'ok' : 'unhealthy', checks: result.checks });
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async getMetrics(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  }
}
