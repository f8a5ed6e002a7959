import { Logger } from '@nestjs/common';
import { EventSubscriber, type AfterQueryEvent, type DataSource, type EntitySubscriberInterface } from 'typeorm';

/** What is reported about a slow query: never its parameters, which can hold passwords, tokens or e-mails. */
export interface SlowQuery {
  /** The statement as sent, with its `?` placeholders; cut at MAX_SQL_LENGTH characters. */
  readonly sql: string;
  readonly durationMs: number;
  readonly thresholdMs: number;
}

/** Enough to recognise the statement; a multi-row insert can be megabytes long. */
const MAX_SQL_LENGTH = 1_000;

const logger = new Logger('SlowQuery');

/**
 * Logged through Nest's logger, i.e. nestjs-pino: a query made while a request is handled runs inside that
 * request's logging context (request-logging.hook.ts), so the line carries the request's `traceId`.
 */
function logSlowQuery(query: SlowQuery): void {
  logger.warn({ msg: 'slow query', ...query });
}

/**
 * Counts and reports queries slower than DB_SLOW_QUERY_MS (SPEC §4 Observability). `total` is the number the
 * metrics work exposes as `db_slow_queries_total`. Only successful queries are timed (TypeORM measures nothing
 * for a failed one): a query that hits DB_QUERY_TIMEOUT fails, answers 503 and is logged as an error instead.
 */
export class SlowQueryMonitor {
  private count = 0;

  constructor(
    readonly thresholdMs: number,
    private readonly report: (query: SlowQuery) => void = logSlowQuery,
  ) {}

  /** Slow queries seen since the data source started. */
  get total(): number {
    return this.count;
  }

  observe(sql: string, durationMs: number): void {
    if (durationMs <= this.thresholdMs) return;
    this.count += 1;
    const cut = sql.length > MAX_SQL_LENGTH ? `${sql.slice(0, MAX_SQL_LENGTH)}…` : sql;
    this.report({ sql: cut, durationMs, thresholdMs: this.thresholdMs });
  }

  /** The monitor a data source built by buildDataSourceOptions reports to (for metrics and tests). */
  static of(dataSource: DataSource): SlowQueryMonitor | undefined {
    for (const subscriber of dataSource.subscribers)
      if (subscriber instanceof SlowQuerySubscriber) return subscriber.monitor;
    return undefined;
  }
}

/**
 * TypeORM hears about every query's duration through a subscriber's `afterQuery`, on both drivers. Its other
 * hook, a Logger's `logQuerySlow`, cannot be used: on MySQL the threshold it fires at (`maxQueryExecutionTime`)
 * is also the query timeout (`enableQueryTimeout`), which is DB_QUERY_TIMEOUT, not DB_SLOW_QUERY_MS.
 */
abstract class SlowQuerySubscriber implements EntitySubscriberInterface {
  abstract readonly monitor: SlowQueryMonitor;

  afterQuery(event: AfterQueryEvent): void {
    if (event.success && event.executionTime !== undefined) this.monitor.observe(event.query, event.executionTime);
  }
}

/**
 * A subscriber class for DataSourceOptions.subscribers. TypeORM instantiates subscribers itself, without
 * arguments, so each data source gets a class bound to its own monitor.
 */
export function slowQuerySubscriber(monitor: SlowQueryMonitor): new () => EntitySubscriberInterface {
  class BoundSlowQuerySubscriber extends SlowQuerySubscriber {
    readonly monitor = monitor;
  }
  EventSubscriber()(BoundSlowQuerySubscriber);
  return BoundSlowQuerySubscriber;
}
