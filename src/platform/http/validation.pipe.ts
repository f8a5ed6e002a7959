import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ValidationFailedError, type FieldViolation } from '../../shared/domain/domain-error.js';

/**
 * Flattens class-validator's error tree into `{field, message}` pairs named by path (`price.amount`,
 * `lines[0].quantity`), one per failed constraint, so a client sees every problem in one answer.
 */
export function toFieldViolations(errors: readonly ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent === ''
        ? error.property
        : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: stripPropertyName(message, error.property),
    }));
    return [...own, ...toFieldViolations(error.children ?? [], field)];
  });
}

/** class-validator prefixes messages with the property name; the `field` already says it. */
function stripPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/**
 * The global pipe (SPEC §4): whitelist + forbid unknown properties + transform. Unknown properties are reported
 * like any other invalid field. Body-less parameters skip it entirely (`validateCustomDecorators: false`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationFailedError(toFieldViolations(errors)),
  });
}
