import { RefreshToken } from '../../domain/refresh-token.entity.js';
import { RefreshTokenOrmEntity } from './refresh-token.orm-entity.js';

/**
 * Translates between the identity_refresh_tokens row and the RefreshToken entity, field by field (as user.mapper.ts
 * does): a column added to the table does not leak into the domain, and a field added to the entity does not reach
 * an INSERT unmapped.
 */
export const RefreshTokenMapper = {
  toDomain: (row: RefreshTokenOrmEntity): RefreshToken => {
    return RefreshToken.restore({
      id: row.id,
      familyId: row.familyId,
      userId: row.userId,
      tokenHash: row.tokenHash,
      expiresAt: row.expiresAt,
      usedAt: row.usedAt,
      revokedAt: row.revokedAt,
      createdAt: row.createdAt,
    });
  },

  toRow: (token: RefreshToken): RefreshTokenOrmEntity => {
    const state = token.snapshot();
    const row = new RefreshTokenOrmEntity();
    row.id = state.id;
    row.familyId = state.familyId;
    row.userId = state.userId;
    row.tokenHash = state.tokenHash;
    row.expiresAt = state.expiresAt;
    row.usedAt = state.usedAt;
    row.revokedAt = state.revokedAt;
    row.createdAt = state.createdAt;
    return row;
  },
};
