import type { DataSource } from 'typeorm';
import { poolConnections } from './database-pool.js';

const queue = (length: number) => ({ length });

function dataSource(type: string, driver: unknown, isInitialized = true): DataSource {
  return { isInitialized, options: { type }, driver } as unknown as DataSource;
}

describe('poolConnections', () => {
  it('reads mysql2’s pool: open minus free are in use, queued callers wait', () => {
    const pool = { _allConnections: queue(7), _freeConnections: queue(2), _connectionQueue: queue(3) };
    expect(poolConnections(dataSource('mysql', { pool }))).toEqual({ in_use: 5, idle: 2, waiting: 3 });
  });

  it('says nothing rather than something wrong when the pool does not look as expected', () => {
    expect(poolConnections(dataSource('mysql', { pool: {} }))).toBeUndefined();
    expect(poolConnections(dataSource('mysql', {}))).toBeUndefined();
    expect(poolConnections(dataSource('mysql', { pool: {} }, false))).toBeUndefined();
  });

  it('reports sql.js’ single connection in use while a transaction is open on it', () => {
    expect(poolConnections(dataSource('sqljs', { queryRunner: { isTransactionActive: true } }))).toEqual({
      in_use: 1,
      idle: 0,
      waiting: 0,
    });
    expect(poolConnections(dataSource('sqljs', { queryRunner: { isTransactionActive: false } }))).toEqual({
      in_use: 0,
      idle: 1,
      waiting: 0,
    });
    expect(poolConnections(dataSource('sqljs', {}))).toEqual({ in_use: 0, idle: 1, waiting: 0 });
  });
});
