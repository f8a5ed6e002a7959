/**
 * The telemetry preload: `node --import ./dist/src/telemetry.js dist/src/main.js` (`npm run start:prod`).
 *
 * Tracing starts only when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set and
 * OTEL_SDK_DISABLED is not `true`. Otherwise this file loads nothing at all — no SDK, no loader hooks, no spans —
 * and the service behaves and costs exactly as without the preload (docs/PERFORMANCE.md, "Tracing").
 *
 * ioredis and mysql2 are CommonJS packages that the ESM application reaches through `import`; the instrumentations
 * see them only through import-in-the-middle's loader hook. Its synchronous, in-thread variant with an include list
 * (TOOLCHAIN.md): the asynchronous all-modules hook intercepts every module of the app and costs ~3 s of start-up.
 * The hook must be registered before any of those modules is imported, hence a preload rather than code in main.ts.
 */
/** The only modules the loader hook intercepts. */
export const INSTRUMENTED_MODULES = ['ioredis', 'mysql2', 'mysql2/promise', 'http', 'https', 'node:http', 'node:https'];

function wanted(env: NodeJS.ProcessEnv): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  return (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? '').trim() !== '';
}

// Nothing is imported unless tracing is wanted: without an endpoint the preload costs a file read.
if (wanted(process.env)) {
  const { register } = await import('import-in-the-middle/register-hooks.mjs');
  register({ include: INSTRUMENTED_MODULES });
  const { startTelemetry } = await import('./platform/telemetry/start-telemetry.js');
  startTelemetry();
}
