import { DomainError } from '../../shared/domain/domain-error.js';

/** 40902: the key already answered a different request (another body or path); the client must pick a new key. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 40902;

  constructor() {
    super('This Idempotency-Key was already used with a different request; use a new key for a new request');
  }
}
