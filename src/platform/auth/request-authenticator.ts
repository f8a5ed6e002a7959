import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../../shared/domain/domain-error.js';
import { AccessTokenVerifier, type VerifiedClaims } from './access-token-verifier.js';
import type { Principal } from './principal.js';

export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
  /** Memo of the bearer-token check: claims, or the error it raised. */
  accessClaims?: VerifiedClaims | UnauthenticatedError;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * Reads and verifies the bearer token of a request once, and memoizes the outcome on the request, so the rate
 * limiter (which keys on the user id) and the auth guard share one verification.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  claims(request: AuthenticatedRequest): VerifiedClaims {
    const outcome = (request.accessClaims ??= this.check(request.headers.authorization));
    if (outcome instanceof UnauthenticatedError) throw outcome;
    return outcome;
  }

  /** The token's subject if the request carries a valid token; never throws. */
  subjectOf(request: AuthenticatedRequest): string | undefined {
    if (request.headers.authorization === undefined) return undefined;
    const outcome = (request.accessClaims ??= this.check(request.headers.authorization));
    return outcome instanceof UnauthenticatedError ? undefined : outcome.sub;
  }

  private check(header: string | undefined): VerifiedClaims | UnauthenticatedError {
    if (header === undefined) return new UnauthenticatedError('Missing bearer token');
    try {
      // A header verified before is known by one lookup: no parsing, no second hash of the token.
      const known = this.verifier.cached(header);
      if (known !== undefined) return known;
      const match = BEARER.exec(header);
      if (match?.[1] === undefined)
        return new UnauthenticatedError('Malformed Authorization header; expected "Bearer <token>"');
      return this.verifier.verify(match[1], header);
    } catch (error) {
      if (error instanceof UnauthenticatedError) return error;
      throw error;
    }
  }
}
