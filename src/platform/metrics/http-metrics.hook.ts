import type { FastifyInstance, onResponseHookHandler, RouteOptions } from 'fastify';
import { UNMATCHED_ROUTE, type RequestDurationHistogram } from './request-duration.histogram.js';

/** Marks the hooks this file adds to a route, so a route copied from another (Fastify's HEAD routes) gets its own. */
const TIMING_HOOK = Symbol('orderly:requestTimingHook');
type TaggedHook = onResponseHookHandler & { [TIMING_HOOK]?: true };

function hooksOf(route: RouteOptions): onResponseHookHandler[] {
  const hooks = route.onResponse;
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}

/**
 * Feeds `http_request_duration_seconds` from Fastify's `onResponse`, i.e. once the answer has gone out, timed by
 * Fastify itself (`reply.elapsedTime`, the same figure as the request log line).
 *
 * The route label is the template (`/api/v1/users/:id`), known when the route is registered: an `onRoute` hook gives
 * every route its own `onResponse` hook bound to that route's series, so a request pays no lookup for its route —
 * reading `request.routeOptions` per request would allocate an object of a dozen fields (~0.1 µs here). Requests no
 * route matched (Fastify's 404 context) are counted under `unmatched` by one global hook, which for every other
 * request is a single property check.
 *
 * Must run before the routes are registered (Nest registers them at `init`), as configureHttp does.
 */
export function installHttpMetrics(fastify: FastifyInstance, histogram: RequestDurationHistogram): void {
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const single = methods.length === 1 ? methods[0] : undefined;
    let hook: TaggedHook;
    if (single !== undefined) {
      const durations = histogram.forRoute(single, route.url);
      hook = (_request, reply, done) => {
        durations.observe(reply.statusCode, reply.elapsedTime / 1000);
        done();
      };
    } else {
      const url = route.url;
      hook = (request, reply, done) => {
        histogram.observe(request.method, url, reply.statusCode, reply.elapsedTime / 1000);
        done();
      };
    }
    hook[TIMING_HOOK] = true;
    route.onResponse = [...hooksOf(route).filter((existing) => !(existing as TaggedHook)[TIMING_HOOK]), hook];
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    // Node's HTTP parser accepts a fixed list of methods, so the method label stays bounded here too.
    if (request.is404) histogram.observe(request.method, UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
