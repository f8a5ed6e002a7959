import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { MetricsRegistry } from './metrics-registry.js';

/**
 * `GET /metrics`: the Prometheus text exposition of the application's registry (SPEC §4 Observability). Like the
 * health probes it sits outside /api: not enveloped (the envelope hook only wraps /api answers, and a string payload
 * never reaches `preSerialization`), not in the OpenAPI document, not rate limited (a scraper is one client asking
 * every few seconds, from every Prometheus replica), and public — keep it off the public ingress; it is for the
 * cluster's Prometheus, on the pod's port.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const text = await this.metrics.exposition();
    void reply.header('content-type', this.metrics.contentType);
    return text;
  }
}
