import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { ValidationFailedError } from '../../shared/domain/domain-error.js';

/**
 * A datetime taken from a keyset cursor, ready to compare with `entity`'s `property` column in a query: a cursor
 * that does not hold a date is a 400 on `cursor`, and the value is in the database's own representation of a
 * datetime (a UTC string on SQLite, a Date on MySQL), as TypeORM stores the column.
 */
export function cursorDatetime<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  property: string,
  raw: unknown,
): unknown {
  const date = new Date(String(raw));
  if (Number.isNaN(date.getTime())) throw ValidationFailedError.forField('cursor', 'is not a valid cursor');
  const column = dataSource.getMetadata(entity).findColumnWithPropertyName(property);
  return column === undefined ? date : dataSource.driver.preparePersistentValue(date, column);
}
