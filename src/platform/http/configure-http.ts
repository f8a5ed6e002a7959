import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../../config/app-config.js';
import { installRequestLogging } from '../logging/request-logging.hook.js';
import { installHttpMetrics } from '../metrics/http-metrics.hook.js';
import { HttpMetrics } from '../metrics/http.metrics.js';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { CorsPolicy } from './cors.js';
import { clientErrorHandler, createFrameworkErrorHandler, installClosingGuard, installEnvelopeGuard } from './edge.js';
import { installEnvelope, installRequestIdHeader } from './envelope.hook.js';
import { ErrorCatalog } from './error-catalog.js';
import { MAX_PATH_PARAM_LENGTH } from './framework-errors.js';
import { installJsonBodyParser } from './json-body-parser.js';
import { setUpOpenApi } from './openapi.js';
import { generateRequestId } from './request-id.js';
import { installSecurityHeaders, securityHeaders } from './security-headers.js';
import { createValidationPipe } from './validation.pipe.js';

/**
 * The Fastify adapter with the transport limits of SPEC §4 (body size, request deadline, proxy trust, path
 * parameter length) and the edge's handlers for what fails before any hook runs (edge.ts).
 */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    handlerTimeout: config.http.requestTimeoutMs,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Fastify accepts a hop count at run time (request.js getTrustProxyFn); its typings omit `number`.
    trustProxy: config.http.trustProxy as boolean | string[],
    genReqId: generateRequestId,
    requestIdHeader: false,
    // Off: Fastify's own 503 while closing is a bare body written before any hook; installClosingGuard answers it.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    logger: false,
    frameworkErrors: createFrameworkErrorHandler(securityHeaders(), new CorsPolicy(config.http.corsOrigins)),
    clientErrorHandler,
  });
}

/**
 * The application's error catalog, assembled by the modules that imported `ErrorCatalogModule.forFeature()`;
 * an application without any context still has the platform's codes.
 */
function errorCatalogOf(app: NestFastifyApplication): ErrorCatalog {
  try {
    return app.get(ErrorCatalog);
  } catch {
    return new ErrorCatalog();
  }
}

/** The application's HTTP metrics; undefined for an application built without MetricsModule. */
function httpMetricsOf(app: NestFastifyApplication): HttpMetrics | undefined {
  try {
    return app.get(HttpMetrics);
  } catch {
    return undefined;
  }
}

/**
 * Everything HTTP that is the same for the real server and the e2e tests: security headers, CORS, the
 * envelope, the exception filter, the validation pipe and the OpenAPI document. main.ts and test/support both
 * call this, so the tests exercise exactly what production runs.
 */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // First: its onRoute hook must see every route, Swagger's included (Nest registers its own at init).
  const httpMetrics = httpMetricsOf(app);
  if (httpMetrics !== undefined) installHttpMetrics(fastify, httpMetrics.requestDuration);
  // JSON is the only request format: any other content type is refused (415 → 400 40001) instead of reaching
  // validation as a string; an empty JSON body is no body.
  installJsonBodyParser(fastify);
  installRequestLogging(fastify, await app.resolve(PinoLogger));
  installSecurityHeaders(fastify);
  // Without an allow-list there is no cross-origin access at all, and no CORS work per request either.
  // The methods, headers and preflight cache are spelled out in cors.ts (mind the @fastify/cors default trap there).
  const cors = new CorsPolicy(config.http.corsOrigins);
  if (cors.enabled) app.enableCors(cors.options());
  installRequestIdHeader(fastify);
  installEnvelope(fastify);
  installEnvelopeGuard(fastify);
  installClosingGuard(fastify);
  const catalog = errorCatalogOf(app);
  app.useGlobalFilters(new ApiExceptionFilter(catalog));
  app.useGlobalPipes(createValidationPipe());
  // SIGTERM (orchestrators) and SIGINT (Ctrl-C) only: other signals stay free for diagnostics tools.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  if (config.http.docsEnabled) setUpOpenApi(app, catalog);
}
