import { Injectable } from '@nestjs/common';
import { IsNull, type Repository } from 'typeorm';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import type { RefreshToken } from '../../domain/refresh-token.entity.js';
import { RefreshTokenRepository } from '../../domain/refresh-token.repository.js';
import { RefreshTokenMapper } from './refresh-token.mapper.js';
import { RefreshTokenOrmEntity } from './refresh-token.orm-entity.js';

@Injectable()
export class TypeOrmRefreshTokenRepository extends RefreshTokenRepository {
  constructor(private readonly context: TransactionContext) {
    super();
  }

  private rows(): Repository<RefreshTokenOrmEntity> {
    return this.context.manager().getRepository(RefreshTokenOrmEntity);
  }

  async findByHash(tokenHash: string): Promise<RefreshToken | undefined> {
    const row = await this.rows().findOneBy({ tokenHash });
    return row === null ? undefined : RefreshTokenMapper.toDomain(row);
  }

  async add(token: RefreshToken): Promise<void> {
    await this.rows().insert(RefreshTokenMapper.toRow(token));
  }

  /** The compare-and-set that makes a token single-use even under concurrent exchanges. */
  async claim(token: RefreshToken, now: Date): Promise<boolean> {
    const result = await this.rows().update({ id: token.id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: now });
    return result.affected === 1;
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.rows().update({ familyId, revokedAt: IsNull() }, { revokedAt: now });
  }

  async revokeAllOfUser(userId: string, now: Date): Promise<void> {
    await this.rows().update({ userId, revokedAt: IsNull() }, { revokedAt: now });
  }
}
