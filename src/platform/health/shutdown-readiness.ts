import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { ReadinessState } from './readiness-state.js';

/**
 * On SIGTERM, Nest runs this before it closes the HTTP server: from here on `/health/ready` answers 503, so the
 * load balancer stops sending traffic while in-flight requests finish (Fastify answers 503 to new connections
 * while it closes: `return503OnClosing`).
 */
@Injectable()
export class ShutdownReadiness implements BeforeApplicationShutdown {
  constructor(private readonly readiness: ReadinessState) {}

  beforeApplicationShutdown(): void {
    this.readiness.markShuttingDown();
  }
}
