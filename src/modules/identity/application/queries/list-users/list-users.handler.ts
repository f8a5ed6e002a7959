import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '../../../../../shared/application/cursor.js';
import { UserReadModel } from '../../ports/user-read-model.js';
import type { UserView } from '../../user-view.js';
import { ListUsersQuery } from './list-users.query.js';

/** Admin list: newest first, keyset-paginated, filtered by literal email prefix, role and status. */
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly readModel: UserReadModel) {}

  execute(query: ListUsersQuery): Promise<Page<UserView>> {
    return this.readModel.list(query.filter);
  }
}
