import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { Principal } from './principal.js';
import type { AuthenticatedRequest } from './request-authenticator.js';

export const IS_PUBLIC = 'orderly:isPublic';
export const REQUIRED_ROLES = 'orderly:requiredRoles';

/**
 * Opts a route out of the global JWT guard, and documents it as public: an anonymous security requirement, which
 * the OpenAPI document writes as the explicit `security: []` (platform/http/openapi.ts).
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));

/** The caller must hold at least one of these roles (403 40300 otherwise). */
export const Roles = (...roles: string[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);

/** Injects the authenticated Principal of the request. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.getArgByIndex<AuthenticatedRequest>(0).principal;
  if (principal === undefined) throw new Error('@CurrentUser() used on a route without authentication');
  return principal;
});

/**
 * The Principal on a `@Public()` route, when the request carried a valid token of an active user; otherwise
 * undefined (an anonymous shopper — or a stale token, which a public route does not reject).
 */
export const OptionalUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.getArgByIndex<AuthenticatedRequest>(0).principal,
);
