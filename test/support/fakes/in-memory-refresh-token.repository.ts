import { RefreshToken, type RefreshTokenState } from '../../../src/modules/identity/domain/refresh-token.entity.js';
import { RefreshTokenRepository } from '../../../src/modules/identity/domain/refresh-token.repository.js';
import type { InMemoryUnitOfWork, TransactionalStore } from './in-memory-unit-of-work.js';

/**
 * Refresh tokens as rows; `claim` is the same conditional update as the real one. Records revocations (of
 * committed work only: a rollback restores both rows and records).
 */
export class InMemoryRefreshTokenRepository extends RefreshTokenRepository implements TransactionalStore {
  readonly rows = new Map<string, RefreshTokenState>();
  readonly revokedFamilies: string[] = [];
  readonly revokedUsers: string[] = [];
  /** When set, `claim` answers this instead of looking at the row (simulates losing a concurrent exchange). */
  claimOverride: boolean | undefined;

  constructor(unitOfWork: InMemoryUnitOfWork) {
    super();
    unitOfWork.enlist(this);
  }

  snapshot(): { rows: Map<string, RefreshTokenState>; families: string[]; users: string[] } {
    return { rows: new Map(this.rows), families: [...this.revokedFamilies], users: [...this.revokedUsers] };
  }

  restore(snapshot: unknown): void {
    const { rows, families, users } = snapshot as ReturnType<InMemoryRefreshTokenRepository['snapshot']>;
    this.rows.clear();
    for (const [id, row] of rows) this.rows.set(id, row);
    this.revokedFamilies.splice(0, this.revokedFamilies.length, ...families);
    this.revokedUsers.splice(0, this.revokedUsers.length, ...users);
  }

  async findByHash(tokenHash: string): Promise<RefreshToken | undefined> {
    const row = [...this.rows.values()].find((candidate) => candidate.tokenHash === tokenHash);
    return row === undefined ? undefined : RefreshToken.restore(row);
  }

  async add(token: RefreshToken): Promise<void> {
    this.rows.set(token.id, token.snapshot());
  }

  async claim(token: RefreshToken, now: Date): Promise<boolean> {
    if (this.claimOverride !== undefined) return this.claimOverride;
    const row = this.rows.get(token.id);
    if (row === undefined || row.usedAt !== null || row.revokedAt !== null) return false;
    this.rows.set(token.id, { ...row, usedAt: now });
    return true;
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    this.revokedFamilies.push(familyId);
    this.revokeWhere((row) => row.familyId === familyId, now);
  }

  async revokeAllOfUser(userId: string, now: Date): Promise<void> {
    this.revokedUsers.push(userId);
    this.revokeWhere((row) => row.userId === userId, now);
  }

  tokensOfFamily(familyId: string): RefreshTokenState[] {
    return [...this.rows.values()].filter((row) => row.familyId === familyId);
  }

  private revokeWhere(matches: (row: RefreshTokenState) => boolean, now: Date): void {
    for (const [id, row] of this.rows) {
      if (matches(row) && row.revokedAt === null) this.rows.set(id, { ...row, revokedAt: now });
    }
  }
}
