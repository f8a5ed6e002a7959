import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { FastifyRequest } from 'fastify';
import { ValidationFailedError } from '../../shared/domain/domain-error.js';

/**
 * Unknown query parameters are a 400 like unknown body properties (§4a). Routes with a `@Query()` DTO get that
 * from the validation pipe (forbidNonWhitelisted); this guard covers every other route, where any query
 * parameter at all is unknown. Whether a handler has a query DTO is read once per handler.
 */
@Injectable()
export class StrictQueryGuard implements CanActivate {
  private readonly acceptsQuery = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const query = context.getArgByIndex<FastifyRequest>(0).query as Record<string, unknown> | undefined;
    if (query === undefined || query === null) return true;
    const names = Object.keys(query);
    if (names.length === 0 || this.handlerAcceptsQuery(context)) return true;
    throw new ValidationFailedError(names.map((field) => ({ field, message: 'is not a known query parameter' })));
  }

  private handlerAcceptsQuery(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let accepts = this.acceptsQuery.get(handler);
    if (accepts === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<
        string,
        unknown
      >;
      accepts = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.QUERY}:`));
      this.acceptsQuery.set(handler, accepts);
    }
    return accepts;
  }
}
