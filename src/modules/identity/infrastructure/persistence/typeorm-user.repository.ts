import { Injectable } from '@nestjs/common';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { VersionedWriter } from '../../../../platform/persistence/versioned-writer.js';
import { UnitOfWork } from '../../../../shared/application/unit-of-work.js';
import type { Email } from '../../domain/email.value-object.js';
import type { User } from '../../domain/user.aggregate.js';
import { UserRepository } from '../../domain/user.repository.js';
import { UserMapper } from './user.mapper.js';
import { UserOrmEntity } from './user.orm-entity.js';

@Injectable()
export class TypeOrmUserRepository extends UserRepository {
  private readonly writer: VersionedWriter<User, UserOrmEntity>;

  constructor(context: TransactionContext, unitOfWork: UnitOfWork) {
    super();
    this.writer = new VersionedWriter(context, unitOfWork, UserOrmEntity, UserMapper.toRow);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.writer.repository().findOneBy({ id });
    return row === null ? undefined : UserMapper.toDomain(row);
  }

  async findByEmail(email: Email): Promise<User | undefined> {
    const row = await this.writer.repository().findOneBy({ email: email.value });
    return row === null ? undefined : UserMapper.toDomain(row);
  }

  save(user: User): Promise<void> {
    return this.writer.save(user);
  }
}
