import { context, trace } from '@opentelemetry/api';
import type { DiscoveryService } from '@nestjs/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { EVENTS_HANDLER_METADATA, QUERY_HANDLER_METADATA, QueryPipeline } from './query-pipeline.js';
import { startTelemetry } from './start-telemetry.js';
import { registerTelemetry } from './tracing.js';

class FindThingQuery {}
class ThingFoundHandler {
  execute(query: FindThingQuery): Promise<string> {
    return query instanceof FindThingQuery ? Promise.resolve('thing') : Promise.reject(new Error('no such thing'));
  }
}
Reflect.defineMetadata(QUERY_HANDLER_METADATA, FindThingQuery, ThingFoundHandler);
class ThingChanged {}
class EvictThingHandler {
  handled = 0;
  handle(): void {
    this.handled++;
  }
}
Reflect.defineMetadata(EVENTS_HANDLER_METADATA, [ThingChanged], EvictThingHandler);

function discoveryOf(...instances: object[]): DiscoveryService {
  return {
    getProviders: () => instances.map((instance) => ({ instance, metatype: instance.constructor })),
  } as unknown as DiscoveryService;
}

describe('QueryPipeline (spans for query and local domain-event handlers)', () => {
  it('leaves handlers untouched while tracing is off', () => {
    const query = new ThingFoundHandler();
    const execute = query.execute;
    new QueryPipeline(discoveryOf(query)).onModuleInit();
    expect(query.execute).toBe(execute);
  });

  describe('tracing on', () => {
    const exporter = new InMemorySpanExporter();
    let handle: ReturnType<typeof startTelemetry>;
    beforeAll(() => {
      handle = startTelemetry({ spanProcessor: new SimpleSpanProcessor({ exporter }), instrument: false });
    });
    afterAll(async () => {
      await handle.shutdown();
      registerTelemetry(undefined);
      trace.disable();
      context.disable();
    });

    it('names the spans after the handlers, records failures, wraps each handler once', async () => {
      const query = new ThingFoundHandler();
      const local = new EvictThingHandler();
      const pipeline = new QueryPipeline(discoveryOf(query, local));
      pipeline.onModuleInit();
      pipeline.onModuleInit();
      await expect(query.execute(new FindThingQuery())).resolves.toBe('thing');
      await expect(query.execute({})).rejects.toThrow('no such thing');
      await Promise.resolve(local.handle() as unknown);
      expect(local.handled).toBe(1);

      await handle.forceFlush();
      const spans = exporter.getFinishedSpans();
      expect(spans.map((span) => span.name)).toEqual([
        'query ThingFoundHandler',
        'query ThingFoundHandler',
        'domain-event EvictThingHandler',
      ]);
      expect(spans[0].attributes).toMatchObject({
        'orderly.handler': 'ThingFoundHandler',
        'orderly.query': 'FindThingQuery',
      });
      expect(spans[1].status.code).toBe(2);
    });
  });
});
