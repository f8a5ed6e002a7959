import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QueryPipeline } from './query-pipeline.js';
import { shutdownTelemetry } from './tracing.js';

/**
 * Tracing inside the application (docs/ARCHITECTURE.md, "Tracing"): spans around query handlers, and the SDK's
 * shutdown — which exports the spans still buffered — as the last step of Nest's shutdown sequence, after the
 * relays finished their batch (beforeApplicationShutdown) and the requests in flight were answered. The SDK itself
 * is started by the preload (src/telemetry.ts); without it this module does nothing.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [QueryPipeline],
})
export class TelemetryModule implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await shutdownTelemetry();
  }
}
