import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The strong entity tag of a versioned resource: `"<version>"` (SPEC §4a). */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Sets the ETag header of a versioned resource's answer (GET, and writes, so a client can chain them). */
export function sendEtag(reply: FastifyReply, version: number): void {
  void reply.header('etag', etagOf(version));
}

const STRONG_TAG = /^"(\d{1,15})"$/;

/**
 * Parses `If-Match` into the versions it accepts: undefined when the header is absent or `*` (no precondition on
 * an existing resource), otherwise the listed versions. Weak tags (`W/"3"`) and malformed ones can never match
 * (If-Match compares strongly, RFC 9110 §13.1.1): they leave an empty list, which fails with 412.
 */
export function parseIfMatch(header: string | string[] | undefined): readonly number[] | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return undefined;
  return value
    .split(',')
    .map((tag) => STRONG_TAG.exec(tag.trim())?.[1])
    .filter((version): version is string => version !== undefined)
    .map(Number);
}

/** Injects the parsed `If-Match` of the request (see parseIfMatch). */
export const IfMatch = createParamDecorator(
  (_data: unknown, context: ExecutionContext): readonly number[] | undefined =>
    parseIfMatch(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);
