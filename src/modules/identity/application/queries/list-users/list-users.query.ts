import { Query } from '@nestjs/cqrs';
import type { Page } from '../../../../../shared/application/cursor.js';
import type { UserListFilter } from '../../ports/user-read-model.js';
import type { UserView } from '../../user-view.js';

export class ListUsersQuery extends Query<Page<UserView>> {
  constructor(readonly filter: UserListFilter) {
    super();
  }
}
