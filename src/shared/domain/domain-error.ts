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

/**
 * 41200: the client's `If-Match` names a version the resource no longer has (or never had): someone changed it
 * since the client read it. Unlike 40901 this is the client's own precondition, so the answer is 412.
 */
export class PreconditionFailedError extends DomainError {
  readonly code = 41200;

  constructor(currentVersion: number) {
    super(`The resource is at version ${currentVersion}; reload it and apply your change again`);
  }
}

/**
 * 50300: the service cannot take this request now and says so at once (load shedding) instead of accepting work it
 * cannot finish in time; the answer carries `Retry-After`.
 */
export class TemporarilyUnavailableError extends DomainError {
  readonly code = 50300;

  constructor(message: string) {
    super(message);
  }
}

/** 412xx / 422xx and other rule violations owned by a context extend this with their own code. */
export abstract class BusinessRuleViolation extends DomainError {}

/**
 * Runs every check and returns their results in order; if any check fails validation, throws ONE
 * ValidationFailedError listing every violated field (SPEC §4: `errors` lists every invalid field, not the first).
 */
export function collectViolations<T extends readonly unknown[]>(...checks: { [K in keyof T]: () => T[K] }): T {
  const violations: FieldViolation[] = [];
  const results = checks.map((check) => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
      violations.push(...error.violations);
      return undefined;
    }
  });
  if (violations.length > 0) throw new ValidationFailedError(violations);
  return results as unknown as T;
}
