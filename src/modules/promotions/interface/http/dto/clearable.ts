import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

/**
 * `null` in a PATCH body means "clear this optional value" for the fields that carry `@NullClears()`. The global
 * validation pipe refuses `null` in every field (an `@IsOptional()` would let it through as if absent), so such a
 * field turns `null` into this marker while the body is transformed: the pipe's null rule no longer sees a null,
 * the field's other validators are skipped for it, and the controller turns it back into `null` (`cleared`) for
 * the command, where null means "clear". Every other field still refuses null.
 */
export const CLEAR: unique symbol = Symbol('clear');

export type Clearable<T> = T | typeof CLEAR;

export function NullClears(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === null ? CLEAR : value)),
    ValidateIf((_object: object, value: unknown) => value !== CLEAR),
  );
}

/** The DTO's value as the command takes it: undefined = unchanged, null = clear. */
export function cleared<T>(value: Clearable<T> | undefined): T | null | undefined {
  return value === CLEAR ? null : value;
}
