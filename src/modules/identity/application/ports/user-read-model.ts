import type { Page } from '../../../../shared/application/cursor.js';
import type { Role } from '../../domain/role.js';
import type { UserStatus } from '../../domain/user-status.js';
import type { UserView } from '../user-view.js';

export interface UserListFilter {
  /** A literal prefix: `%` and `_` match themselves (§4a). */
  readonly emailPrefix?: string;
  readonly role?: Role;
  readonly status?: UserStatus;
  readonly limit: number;
  readonly cursor?: string;
}

/** Query port: reads users straight into views, skipping the aggregate (ARCHITECTURE §3, reads). */
export abstract class UserReadModel {
  abstract findById(id: string): Promise<UserView | undefined>;
  abstract list(filter: UserListFilter): Promise<Page<UserView>>;
}
