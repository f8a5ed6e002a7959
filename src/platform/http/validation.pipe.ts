import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { ValidationFailedError, type FieldViolation } from '../../shared/domain/domain-error.js';
import { clearsWithNull } from './null-clears.js';

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
 * `null` inside a body DTO (at any depth of nested DTOs): class-validator's `@IsOptional()` skips null like an
 * absent value, so `{"roles": null}` would pass validation and reach a handler that expects an array or nothing.
 * A field that takes null on purpose (to clear a value) opts in with `@NullClears()` (null-clears.ts).
 */
function nullFields(value: unknown, path: string): FieldViolation[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => nullFields(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  // Plain objects are free-form values (a dictionary field), not DTOs with declared properties.
  if (Object.getPrototypeOf(value) === Object.prototype) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const field = path === '' ? key : `${path}.${key}`;
    if (child === null) return clearsWithNull(value, key) ? [] : [{ field, message: 'must not be null' }];
    return nullFields(child, field);
  });
}

/**
 * SPEC §4a "Bodies": on a route whose `@Body()` is an object (a DTO class, or a plain object type), a body that is
 * not a JSON object — `null`, an array, a number, a string, or no body at all — is 400 40000 for every route, and
 * so is `null` for any of its fields (see nullFields). Without this, class-transformer turns a `null` body into an
 * empty DTO and an all-optional PATCH answers 200.
 */
class OrderlyValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Custom parameter decorators (@CurrentUser() on every authenticated route) are not validated
    // (validateCustomDecorators: false), and ValidationPipe hands them back untouched: say so without its async
    // round trip on the hot path.
    if (metadata.type === 'custom') return Promise.resolve(value);
    return this.transformValue(value, metadata);
  }

  private async transformValue(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isObjectBody =
      metadata.type === 'body' &&
      metadata.data === undefined &&
      typeof metadata.metatype === 'function' &&
      !NOT_OBJECTS.has(metadata.metatype);
    if (!isObjectBody) return super.transform(value, metadata) as Promise<unknown>;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw ValidationFailedError.forField('body', 'must be a JSON object');
    }
    let result: unknown;
    let violations: readonly FieldViolation[] = [];
    try {
      result = await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
      violations = error.violations;
    }
    // Every invalid field in one answer: nulls the validators skipped join what they reported.
    const reported = new Set(violations.map((violation) => violation.field));
    const nulls = nullFields(result ?? this.toDto(value, metadata), '').filter(({ field }) => !reported.has(field));
    if (violations.length + nulls.length > 0) throw new ValidationFailedError([...violations, ...nulls]);
    return result;
  }

  /** The DTO instance the failed validation saw, for nullFields (only on the error path). */
  private toDto(value: object, metadata: ArgumentMetadata): unknown {
    return plainToInstance(metadata.metatype as new () => object, value, { enableImplicitConversion: false });
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
