import { Injectable } from '@nestjs/common';
import type { Page } from '../../../../shared/application/cursor.js';
import { UserReadModel, type UserListFilter } from '../../application/ports/user-read-model.js';
import type { UserView } from '../../application/user-view.js';
import { TypeOrmUserReadModel } from '../persistence/typeorm-user.read-model.js';
import { UserViewCache } from './user-view-cache.js';

/** Cache-aside in front of the TypeORM read model for single-user reads; lists always go to the database. */
@Injectable()
export class CachingUserReadModel extends UserReadModel {
  private readonly load = (id: string) => this.database.findById(id);

  constructor(
    private readonly database: TypeOrmUserReadModel,
    private readonly cache: UserViewCache,
  ) {
    super();
  }

  async findById(id: string): Promise<UserView | undefined> {
    return (await this.cache.get(id, this.load))?.view;
  }

  list(filter: UserListFilter): Promise<Page<UserView>> {
    return this.database.list(filter);
  }
}
