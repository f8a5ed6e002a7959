import { createFatalErrorHandler, type FatalErrorPolicy } from './fatal-errors.js';

function policy(close: () => Promise<unknown>): FatalErrorPolicy & { logged: unknown[]; exits: number[] } {
  const logged: unknown[] = [];
  const exits: number[] = [];
  return {
    logged,
    exits,
    log: (_kind, error) => logged.push(error),
    close,
    exit: (code) => exits.push(code),
    graceMs: 50,
  };
}

describe('fatal-error policy', () => {
  it('logs the first fatal error once, closes the app, then exits with 1', async () => {
    const fatal = policy(() => Promise.resolve());
    const onFatal = createFatalErrorHandler(fatal);
    onFatal('uncaughtException')(new Error('first'));
    onFatal('unhandledRejection')(new Error('fallout'));
    await vi.waitFor(() => expect(fatal.exits).toEqual([1]));
    expect(fatal.logged).toEqual([new Error('first')]);
  });

  it('exits with 1 after the grace period when closing hangs', async () => {
    const fatal = policy(() => new Promise(() => undefined));
    createFatalErrorHandler(fatal)('uncaughtException')(new Error('stuck'));
    expect(fatal.exits).toEqual([]);
    await vi.waitFor(() => expect(fatal.exits).toEqual([1]), { timeout: 1_000 });
  });

  it('still exits with 1 when closing fails', async () => {
    const fatal = policy(() => Promise.reject(new Error('close failed')));
    createFatalErrorHandler(fatal)('unhandledRejection')(new Error('boom'));
    await vi.waitFor(() => expect(fatal.exits).toEqual([1]));
  });
});

describe('fatal-error policy and telemetry', () => {
  it('flushes telemetry alongside closing, so the spans leave even when a shutdown hook hangs', async () => {
    let flushed = false;
    const fatal = {
      ...policy(() => new Promise(() => undefined)),
      flush: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        flushed = true;
      },
    };
    createFatalErrorHandler(fatal)('unhandledRejection')(new Error('lost'));
    await vi.waitFor(() => expect(fatal.exits).toEqual([1]), { timeout: 1_000 });
    expect(flushed).toBe(true);
  });
});
