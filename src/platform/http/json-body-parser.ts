import type { FastifyInstance } from 'fastify';

/**
 * JSON is the only request format (SPEC §4a "Bodies"): Fastify's own JSON parser (size limit, prototype and
 * constructor poisoning refused), except that an empty body means "no body" instead of FST_ERR_CTP_EMPTY_JSON_BODY.
 * Browsers' HTTP libraries commonly send `Content-Type: application/json` on a DELETE without a body; that must not
 * be a 400 on a route that takes none. A route that does take a body still refuses it, as "not a JSON object"
 * (400 40000, validation.pipe.ts). Any other content type has no parser and is refused (415 → 400 40001).
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    void parseJson(request, body, done);
  });
}
