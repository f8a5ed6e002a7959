import type { PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ValidationFailedError } from '../../shared/domain/domain-error.js';

/**
 * A UUID path parameter (`@Param('id', UuidParam)`): anything else is 400 40000 on that field. Ids are stored
 * lower-case, and an upper-case spelling names the same resource: it is normalised here, so that it finds the same
 * row on both profiles (MariaDB's collation ignores case, SQLite's does not) and uses the same cache key — a copy
 * cached under another spelling would outlive the write that invalidated the canonical one.
 */
export class UuidParam implements PipeTransform<unknown, string> {
  /** Nest instantiates the class given to `@Param` itself (no arguments): the field is `id`. */
  protected readonly field: string = 'id';

  /** For a parameter with another name: `@Param('userId', UuidParam.named('userId'))`. */
  static named(field: string): UuidParam {
    return Object.assign(new UuidParam(), { field });
  }

  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUUID(value)) throw ValidationFailedError.forField(this.field, 'must be a UUID');
    return value.toLowerCase();
  }
}
