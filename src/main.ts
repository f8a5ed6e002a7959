import 'reflect-metadata';
import { createApp } from './bootstrap.js';
import { InvalidConfigurationError } from './config/invalid-configuration.error.js';
import { loadConfig } from './config/load-config.js';
import { DEMO_ACCOUNTS } from './modules/identity/infrastructure/startup/identity-startup.js';
import { installFatalErrorHandlers } from './platform/runtime/fatal-errors.js';
import { installGracefulShutdown } from './platform/runtime/graceful-shutdown.js';
import { tracingEnabled } from './platform/telemetry/tracing.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof InvalidConfigurationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  installFatalErrorHandlers(app);
  installGracefulShutdown(app, config.http.shutdownGraceMs);
  await app.listen({ port: config.http.port, host: config.http.host });
  const url = await app.getUrl();
  const base = url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  const lines = [`Orderly is listening on ${base} (${config.profile} profile)`];
  if (config.http.docsEnabled) lines.push(`API documentation: ${base}/docs`);
  if (config.demoData) {
    lines.push('Demo accounts (POST /api/v1/auth/login with {"email","password"}):');
    for (const account of DEMO_ACCOUNTS)
      lines.push(`  ${account.email} / ${account.password} (${account.roles.join(', ')})`);
  }
  // The SDK is started by the preload (`node --import ./dist/src/telemetry.js`, npm run start:prod).
  if (tracingEnabled()) {
    const endpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    lines.push(`Tracing: OTLP/HTTP to ${endpoint}`);
  }
  if (config.auth.adminEmail !== undefined)
    lines.push(`Admin: ${config.auth.adminEmail} (password from ADMIN_PASSWORD)`);
  console.log(lines.join('\n'));
}

void main();
