import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../../../platform/auth/principal.js';
import { PrincipalLookup } from '../../../../platform/auth/principal.js';
import { UserOrmEntity } from '../persistence/user.orm-entity.js';

/**
 * How long this instance trusts what it read about a user. The events of a change evict the entry on this
 * instance at once (read-your-writes); other instances, which do not see in-process events, follow within this
 * bound — SPEC §4a's "within 1 s". One indexed primary-key read per active user per second is the price.
 */
export const PRINCIPAL_TTL_MS = 1_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  readonly principal: Principal | undefined;
  readonly validUntil: number;
}

/** identity's answer to the platform's PrincipalLookup port: current roles of active users, briefly cached. */
@Injectable()
export class IdentityPrincipalLookup extends PrincipalLookup {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Principal | undefined>>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  find(userId: string): Principal | undefined | Promise<Principal | undefined> {
    const entry = this.entries.get(userId);
    if (entry !== undefined && entry.validUntil > Date.now()) return entry.principal;
    // Concurrent misses for one user share a single query.
    let pending = this.loading.get(userId);
    if (pending === undefined) {
      pending = this.load(userId).finally(() => this.loading.delete(userId));
      this.loading.set(userId, pending);
    }
    return pending;
  }

  evict(userId: string): void {
    this.entries.delete(userId);
    this.loading.delete(userId);
  }

  private async load(userId: string): Promise<Principal | undefined> {
    const row = await this.dataSource
      .getRepository(UserOrmEntity)
      .findOne({ select: { id: true, roles: true, status: true }, where: { id: userId } });
    const principal = row?.status === 'active' ? { id: row.id, roles: row.roles.split(',') } : undefined;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    // A change that committed while this read was in flight has already evicted; do not resurrect stale data.
    if (this.loading.has(userId)) this.entries.set(userId, { principal, validUntil: Date.now() + PRINCIPAL_TTL_MS });
    return principal;
  }
}
