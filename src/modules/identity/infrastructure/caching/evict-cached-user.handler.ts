import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import {
  UserPasswordChanged,
  UserProfileChanged,
  UserRolesChanged,
  UserStatusChanged,
} from '../../domain/identity.events.js';
import { UserViewCache } from './user-view-cache.js';

type UserChange = UserProfileChanged | UserPasswordChanged | UserRolesChanged | UserStatusChanged;

/**
 * Read-your-writes: the unit of work publishes these after commit and before the write's response is sent, so
 * the next request of anyone — including the auth guard judging a suspension or role change — reads fresh data.
 */
@EventsHandler(UserProfileChanged, UserPasswordChanged, UserRolesChanged, UserStatusChanged)
export class EvictCachedUserHandler implements IEventHandler<UserChange> {
  constructor(private readonly cache: UserViewCache) {}

  handle(event: UserChange): void {
    this.cache.evict(event.aggregateId);
  }
}
