import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PlatformMetrics } from '../metrics/platform-metrics';
import { Readiness } from './readiness';

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
  ) {}

  /** Alive: the process answers. Never depends on the database or the bus. */
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready: every dependency reachable; 503 with the failing checks named otherwise. */
  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report();
    for (const [check, ok] of Object.entries(report.checks)) {
      this.metrics.ready.set({ check }, ok ? 1 : 0);
    }
    await reply.status(report.ready ? 200 : 503).send({
      status: report.ready ? 'ready' : 'not ready',
      checks: report.checks,
    });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
