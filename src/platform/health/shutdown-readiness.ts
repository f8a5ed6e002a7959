import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { ReadinessState } from './readiness-state.js';

/**
 * On SIGTERM, Nest runs this before it closes the HTTP server: from here on `/health/ready` answers 503, so the
 * load balancer stops sending traffic while in-flight requests finish (a request that still arrives on a kept-alive
 * connection while the server closes gets a 503 50300 envelope from the edge's closing guard, platform/http/edge.ts).
 */
@Injectable()
export class ShutdownReadiness implements BeforeApplicationShutdown {
  constructor(private readonly readiness: ReadinessState) {}

  beforeApplicationShutdown(): void {
    this.readiness.markShuttingDown();
  }
}
