import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SlowQueryMonitor } from '../persistence/slow-query-monitor.js';
import { MetricsRegistry } from './metrics-registry.js';
import { poolConnections, type PoolState } from './database-pool.js';

const POOL_STATES: readonly PoolState[] = ['in_use', 'idle', 'waiting'];

/**
 * `db_pool_connections{state}` and `db_slow_queries_total` (SPEC §4a), both read when Prometheus scrapes: the
 * pool's counts from the driver at that moment, the slow queries from the SlowQueryMonitor that logs them (it
 * already counts them, so the persistence layer needs no metrics library, and a query pays nothing extra).
 */
@Injectable()
export class DatabaseMetrics {
  constructor(
    metrics: MetricsRegistry,
    @Optional() dataSource?: DataSource,
    @Optional() slowQueries?: SlowQueryMonitor,
  ) {
    if (dataSource !== undefined) {
      metrics.gauge({
        name: 'db_pool_connections',
        help: 'Database connections by state: in_use, idle, waiting (callers queued for a connection).',
        labelNames: ['state'],
        collect() {
          const counts = poolConnections(dataSource);
          if (counts === undefined) {
            this.reset();
            return;
          }
          for (const state of POOL_STATES) this.set({ state }, counts[state]);
        },
      });
    }
    if (slowQueries !== undefined) {
      let reported = 0;
      metrics.counter({
        name: 'db_slow_queries_total',
        help: 'Queries slower than DB_SLOW_QUERY_MS (each is also logged at warn with its trace id).',
        collect() {
          const total = slowQueries.total;
          if (total > reported) this.inc(total - reported);
          reported = total;
        },
      });
    }
  }
}
