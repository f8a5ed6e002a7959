import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../../../../shared/application/cursor.js';
import type { UserListFilter } from '../../application/ports/user-read-model.js';
import { UserReadModel } from '../../application/ports/user-read-model.js';
import type { UserView } from '../../application/user-view.js';
import { UserMapper } from './user.mapper.js';
import { UserOrmEntity } from './user.orm-entity.js';

/** `!` escapes LIKE wildcards portably (a backslash means different things in MySQL and SQLite literals). */
function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (char) => `!${char}`);
}

/**
 * Reads for queries: no aggregate, no transaction, straight to views. The list is keyset-paginated on the
 * primary key (UUID v7 ⇒ creation order), newest first; the email-prefix filter uses the unique email index and
 * the status filter the (status, id) index.
 */
@Injectable()
export class TypeOrmUserReadModel extends UserReadModel {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findById(id: string): Promise<UserView | undefined> {
    const row = await this.dataSource.getRepository(UserOrmEntity).findOneBy({ id });
    return row === null ? undefined : UserMapper.toView(row);
  }

  async list(filter: UserListFilter): Promise<Page<UserView>> {
    const query = this.dataSource.getRepository(UserOrmEntity).createQueryBuilder('u');
    if (filter.cursor !== undefined) {
      const [lastId] = decodeCursor(filter.cursor, ['string']);
      query.andWhere('u.id < :lastId', { lastId });
    }
    if (filter.emailPrefix !== undefined) {
      query.andWhere("u.email LIKE :prefix ESCAPE '!'", { prefix: `${escapeLike(filter.emailPrefix.toLowerCase())}%` });
    }
    if (filter.status !== undefined) query.andWhere('u.status = :status', { status: filter.status });
    if (filter.role !== undefined) {
      // Roles are a short comma-separated list; a residual predicate on the keyset scan (there are two roles).
      // Spelled out instead of concatenating commas because MySQL and SQLite concatenate differently.
      query.andWhere('(u.roles = :role OR u.roles LIKE :first OR u.roles LIKE :last OR u.roles LIKE :middle)', {
        role: filter.role,
        first: `${filter.role},%`,
        last: `%,${filter.role}`,
        middle: `%,${filter.role},%`,
      });
    }
    const rows = await query
      .orderBy('u.id', 'DESC')
      .limit(filter.limit + 1)
      .getMany();
    return toPage(rows, filter.limit, (row) => [row.id], UserMapper.toView);
  }
}
