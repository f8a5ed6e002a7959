import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../../shared/domain/domain-error.js';
import { REQUIRED_ROLES } from './auth.decorators.js';
import type { AuthenticatedRequest } from './request-authenticator.js';

/** Global guard after JwtAuthGuard: enforces `@Roles(...)` against the principal's current roles (403 40300). */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly requiredByHandler = new WeakMap<object, readonly string[]>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.required(context);
    if (required.length === 0) return true;
    const roles = context.getArgByIndex<AuthenticatedRequest>(0).principal?.roles ?? [];
    if (!required.some((role) => roles.includes(role))) throw new ForbiddenError();
    return true;
  }

  private required(context: ExecutionContext): readonly string[] {
    const handler = context.getHandler();
    let required = this.requiredByHandler.get(handler);
    if (required === undefined) {
      required =
        this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, [handler, context.getClass()]) ?? [];
      this.requiredByHandler.set(handler, required);
    }
    return required;
  }
}
