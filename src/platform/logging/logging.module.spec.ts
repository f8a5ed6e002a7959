import { TurnBatchedDestination } from './logging.module.js';

describe('TurnBatchedDestination (request lines to stdout)', () => {
  function target() {
    const writes: string[] = [];
    let flushed = 0;
    return {
      writes,
      flushes: () => flushed,
      stream: { write: (chunk: string) => writes.push(chunk), flushSync: () => void flushed++ },
    };
  }
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('hands the lines of one event-loop turn over as one write, in order, and nothing is held longer', async () => {
    const { writes, stream } = target();
    const destination = new TurnBatchedDestination(stream);
    destination.write('a\n');
    destination.write('b\n');
    destination.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    destination.write('d\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('flushSync writes what is collected at once, then flushes the stream (shutdown, fatal errors)', async () => {
    const { writes, flushes, stream } = target();
    const destination = new TurnBatchedDestination(stream);
    destination.write('last words\n');
    destination.flushSync();
    expect(writes).toEqual(['last words\n']);
    expect(flushes()).toBe(1);
    await nextTurn();
    expect(writes).toEqual(['last words\n']);
  });

  it('flush(cb) (pino logger.flush) writes what is collected, then waits for the stream', async () => {
    const writes: string[] = [];
    const destination = new TurnBatchedDestination({
      write: (chunk: string) => writes.push(chunk),
      flushSync: () => undefined,
      flush: (callback) => setImmediate(() => callback(null)),
    });
    destination.write('pending\n');
    await new Promise<void>((resolve) => destination.flush(() => resolve()));
    expect(writes).toEqual(['pending\n']);
  });
});
