import {
  BusinessRuleViolation,
  DuplicateError,
  NotFoundError,
  UnauthenticatedError,
} from '../../../shared/domain/domain-error.js';

export class EmailAlreadyRegisteredError extends DuplicateError {
  constructor() {
    super('This email address is already registered');
  }
}

/** Same answer for an unknown email and a wrong password, so the endpoint cannot be used to probe accounts. */
export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('Invalid email or password');
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor() {
    super('User');
  }
}

export class InvalidRefreshTokenError extends UnauthenticatedError {
  constructor() {
    super('Invalid refresh token');
  }
}

export class RefreshTokenExpiredError extends UnauthenticatedError {
  constructor() {
    super('Refresh token expired', 40101);
  }
}

/** A rotated refresh token came back: someone holds a stolen copy, so the whole family has been revoked. */
export class RefreshTokenReusedError extends UnauthenticatedError {
  constructor() {
    super('Refresh token was already used; all sessions of this sign-in were revoked', 40102);
  }
}

/** 42210: identity's 422 range starts here. An admin may not lock themselves out (own admin role, status, deletion). */
export class SelfLockoutError extends BusinessRuleViolation {
  readonly code = 42210;

  constructor(action: string) {
    super(`Admins cannot ${action} their own account`);
  }
}

/** 42211: a deleted (deactivated) account is final; it can be read, not changed. */
export class DeletedAccountError extends BusinessRuleViolation {
  readonly code = 42211;

  constructor() {
    super('This account has been deleted and can no longer be changed');
  }
}
