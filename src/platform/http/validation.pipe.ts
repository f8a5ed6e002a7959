import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
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

/** Parameter types that are not an object shape: a `@Body()` of these takes a scalar or a list on purpose. */
const NOT_OBJECTS: ReadonlySet<unknown> = new Set([String, Number, Boolean, Array, BigInt, Symbol]);

/**
 * SPEC §4a "Bodies": on a route whose `@Body()` is an object (a DTO class, or a plain object type), a body that is
 * not a JSON object — `null`, an array, a number, a string, or no body at all — is 400 40000 for every route.
 * Without this, class-transformer turns `null` into an empty DTO and an all-optional PATCH answers 200.
 */
class OrderlyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      metadata.data === undefined &&
      typeof metadata.metatype === 'function' &&
      !NOT_OBJECTS.has(metadata.metatype) &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw ValidationFailedError.forField('body', 'must be a JSON object');
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/**
 * The global pipe (SPEC §4): whitelist + forbid unknown properties + transform, and bodies must be objects (above).
 * Unknown properties are reported like any other invalid field. Body-less parameters skip it entirely
 * (`validateCustomDecorators: false`).
 */
export function createValidationPipe(): ValidationPipe {
  return new OrderlyValidationPipe({
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
