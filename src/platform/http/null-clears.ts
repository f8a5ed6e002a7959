import { ValidateIf } from 'class-validator';

const NULL_CLEARS = 'orderly:nullClears';

/**
 * Opts one optional DTO field into `null`, meaning "clear this value" (a PATCH that removes a coupon's minimum).
 * The global validation pipe refuses `null` in every other field (validation.pipe.ts: class-validator's
 * `@IsOptional()` would let it through as if absent); for a field marked here, `null` reaches the handler as `null`
 * and the field's other validators are skipped for it. Type the property `T | null` and document it `nullable`.
 */
export function NullClears(): PropertyDecorator {
  return (target, property) => {
    const owner = target.constructor;
    const fields = (Reflect.getMetadata(NULL_CLEARS, owner) as readonly (string | symbol)[] | undefined) ?? [];
    Reflect.defineMetadata(NULL_CLEARS, [...fields, property], owner);
    ValidateIf((_object: object, value: unknown) => value !== null)(target, property);
  };
}

/** Whether `dto`'s class accepts `null` for `field` (`@NullClears()`). */
export function clearsWithNull(dto: object, field: string): boolean {
  const fields = Reflect.getMetadata(NULL_CLEARS, dto.constructor) as readonly (string | symbol)[] | undefined;
  return fields?.includes(field) ?? false;
}
