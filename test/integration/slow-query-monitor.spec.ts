import { Logger } from '@nestjs/common';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/platform/persistence/data-source-options.js';
import { SlowQueryMonitor, type SlowQuery } from '../../src/platform/persistence/slow-query-monitor.js';
import { testDatabaseConfig } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const SECRET = 'hunter2-never-logged';

/** A statement that takes tens of milliseconds on each dialect, with a parameter that must never be reported. */
function slowStatement(): string {
  return testProfile().kind === 'server'
    ? 'SELECT SLEEP(0.05) AS slept, ? AS secret'
    : 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000) ' +
        'SELECT count(*) AS counted, ? AS secret FROM n';
}

async function open(slowQueryMs: number, monitor?: SlowQueryMonitor): Promise<DataSource> {
  const config = testDatabaseConfig({ poolSize: 2, slowQueryMs, migrationsRun: false });
  const dataSource = new DataSource(buildDataSourceOptions(config, [], monitor));
  await dataSource.initialize();
  return dataSource;
}

/** DB_SLOW_QUERY_MS (SPEC §4): queries over the threshold are counted and logged at warn, without parameters. */
describe(describeProfile('slow-query monitor'), () => {
  const opened: DataSource[] = [];

  afterAll(async () => {
    for (const dataSource of opened) if (dataSource.isInitialized) await dataSource.destroy();
  });

  it('counts and reports a query over the threshold: statement and duration, never its parameters', async () => {
    const reported: SlowQuery[] = [];
    const monitor = new SlowQueryMonitor(1, (query) => reported.push(query));
    const dataSource = await open(1, monitor);
    opened.push(dataSource);
    expect(SlowQueryMonitor.of(dataSource)).toBe(monitor);
    const before = monitor.total;

    await dataSource.query(slowStatement(), [SECRET]);

    expect(monitor.total).toBe(before + 1);
    const report = reported.at(-1);
    expect(report).toMatchObject({ sql: slowStatement(), thresholdMs: 1 });
    expect(report?.durationMs).toBeGreaterThan(1);
    expect(JSON.stringify(reported)).not.toContain(SECRET);
  });

  it('ignores queries under the threshold', async () => {
    const reported: SlowQuery[] = [];
    const dataSource = await open(10_000, new SlowQueryMonitor(10_000, (query) => reported.push(query)));
    opened.push(dataSource);

    await dataSource.query(slowStatement(), [SECRET]);
    await dataSource.query('SELECT 1 AS one');

    expect(SlowQueryMonitor.of(dataSource)?.total).toBe(0);
    expect(reported).toEqual([]);
  });

  it('by default takes DB_SLOW_QUERY_MS from the configuration', async () => {
    const dataSource = await open(7);
    opened.push(dataSource);
    expect(SlowQueryMonitor.of(dataSource)?.thresholdMs).toBe(7);
  });

  it("logs at warn through the application's logger, tagged with the trace id of the request being served", async () => {
    // The production chain without HTTP: Nest's Logger → nestjs-pino → the per-request logging context that
    // request-logging.hook.ts opens with `runInContext`.
    const lines: string[] = [];
    const pino = new PinoLogger({ pinoHttp: [{ level: 'info' }, { write: (line: string) => lines.push(line) }] });
    Logger.overrideLogger(new PinoNestLogger(pino, {}));
    try {
      const dataSource = await open(1);
      opened.push(dataSource);
      await pino.runInContext(() => dataSource.query(slowStatement(), [SECRET]), {
        bindings: { traceId: 'trace-slow-1' },
      });

      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const slow = logged.filter((line) => line.msg === 'slow query');
      expect(slow).toHaveLength(1);
      expect(slow[0]).toMatchObject({ level: 40, traceId: 'trace-slow-1', sql: slowStatement(), thresholdMs: 1 });
      expect(slow[0]?.durationMs).toEqual(expect.any(Number));
      expect(lines.join('\n')).not.toContain(SECRET);
    } finally {
      Logger.overrideLogger(false);
    }
  });
});
