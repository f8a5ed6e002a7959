import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthenticatedError } from '../../shared/domain/domain-error.js';
import { IS_PUBLIC } from './auth.decorators.js';
import { PrincipalLookup } from './principal.js';
import { RequestAuthenticator, type AuthenticatedRequest } from './request-authenticator.js';

/**
 * Global guard: every route needs a valid access token unless marked `@Public()`. After the signature, the
 * subject's current state is checked through PrincipalLookup, so suspension, deletion and role changes apply to
 * the next request without waiting for the token to expire.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly publicHandlers = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
    private readonly principals: PrincipalLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.getArgByIndex<AuthenticatedRequest>(0);
    if (this.isPublic(context)) {
      if (request.headers.authorization !== undefined) await this.identify(request);
      return true;
    }
    const claims = this.authenticator.claims(request);
    const found = this.principals.find(claims.sub);
    const principal = found instanceof Promise ? await found : found;
    if (principal === undefined) throw new UnauthenticatedError('This account is not active');
    request.principal = principal;
    return true;
  }

  /**
   * A public route serves everyone, but may answer an admin more (`GET /products?status=archived`): a valid token
   * identifies the caller; an invalid or stale one is ignored rather than refused, since clients often send their
   * last token everywhere (a refresh after expiry must still work).
   */
  private async identify(request: AuthenticatedRequest): Promise<void> {
    const subject = this.authenticator.subjectOf(request);
    if (subject === undefined) return;
    const found = this.principals.find(subject);
    request.principal = found instanceof Promise ? await found : found;
  }

  /** Metadata never changes after start, so it is read once per handler. */
  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.publicHandlers.get(handler);
    if (known === undefined) {
      known = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [handler, context.getClass()]) === true;
      this.publicHandlers.set(handler, known);
    }
    return known;
  }
}
