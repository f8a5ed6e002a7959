import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { UserRolesChanged, UserStatusChanged } from '../../domain/identity.events.js';
import { IdentityPrincipalLookup } from './identity-principal-lookup.js';

/**
 * Read-your-writes for authorization: the unit of work publishes these after commit and before the write's
 * response is sent, so the very next request of the affected user is judged on fresh data.
 */
@EventsHandler(UserStatusChanged, UserRolesChanged)
export class EvictPrincipalOnUserChangeHandler implements IEventHandler<UserStatusChanged | UserRolesChanged> {
  constructor(private readonly principals: IdentityPrincipalLookup) {}

  handle(event: UserStatusChanged | UserRolesChanged): void {
    this.principals.evict(event.aggregateId);
  }
}
