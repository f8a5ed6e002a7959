import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AfterCommit } from '../../../../platform/persistence/after-commit.js';
import {
  UserPasswordChanged,
  UserProfileChanged,
  UserRegistered,
  UserRolesChanged,
  UserStatusChanged,
} from '../../domain/identity.events.js';
import { UserViewCache } from './user-view-cache.js';

type UserChange = UserRegistered | UserProfileChanged | UserPasswordChanged | UserRolesChanged | UserStatusChanged;

/**
 * Read-your-writes (SPEC §4a): the unit of work runs this after the commit and before the write's response is
 * sent, so the next request of anyone — including the auth guard judging a suspension or role change — reads fresh
 * data; other instances are told at once over Redis (or follow within the cache's 1 s). `UserRegistered` is
 * included so that an id looked up as "no such user" just before its creation is never served stale.
 */
@Injectable()
export class CachedUserInvalidation implements OnModuleInit {
  constructor(
    private readonly afterCommit: AfterCommit,
    private readonly cache: UserViewCache,
  ) {}

  onModuleInit(): void {
    this.afterCommit.on<UserChange>(
      [UserRegistered, UserProfileChanged, UserPasswordChanged, UserRolesChanged, UserStatusChanged],
      (event) => this.cache.evict(event.aggregateId),
    );
  }
}
