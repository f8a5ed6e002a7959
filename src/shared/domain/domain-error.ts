/**
 * Base of every business error. `code` is the public catalog code (SPEC §4): HTTP status × 100 + n. The HTTP layer
 * derives the status from it, so the domain never imports anything HTTP-shaped and still chooses its public answer.
 */
export abstract class DomainError extends Error {
  abstract readonly code: number;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One invalid field, named by its path in the request (`email`, `price.amount`, `lines[0].quantity`). */
export interface FieldViolation {
  readonly field: string;
  readonly message: string;
}

/** 40000: input that passed transport validation but breaks a domain rule about its shape (e.g. an email). */
export class ValidationFailedError extends DomainError {
  readonly code = 40000;

  constructor(readonly violations: readonly FieldViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.message}`).join('; ') || 'Validation failed');
  }

  static forField(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }]);
  }
}

/** 40100 family: the caller could not be authenticated. */
export class UnauthenticatedError extends DomainError {
  readonly code: 40100 | 40101 | 40102;

  constructor(message = 'Authentication required', code: 40100 | 40101 | 40102 = 40100) {
    super(message);
    this.code = code;
  }
}

/** 40300: authenticated, but the caller's roles do not allow this. */
export class ForbiddenError extends DomainError {
  readonly code = 40300;

  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

/** 40400: missing, or present but invisible to the caller (we never reveal which). */
export class NotFoundError extends DomainError {
  readonly code = 40400;

  constructor(resource: string) {
    super(`${resource} not found`);
  }
}

/** 40900: a unique key is already taken. */
export class DuplicateError extends DomainError {
  readonly code = 40900;

  constructor(message = 'The resource already exists') {
    super(message);
  }
}

/** 40901: someone else changed the aggregate since it was read (optimistic locking). */
export class ConcurrentUpdateError extends DomainError {
  readonly code = 40901;

  constructor(message = 'The resource was changed by another request; reload and retry') {
    super(message);
  }
}

/** 412xx / 422xx and other rule violations owned by a context extend this with their own code. */
export abstract class BusinessRuleViolation extends DomainError {}
