import { Injectable } from '@nestjs/common';
import { translatePersistenceError } from '../../../../platform/persistence/persistence-errors.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { VersionedWriter } from '../../../../platform/persistence/versioned-writer.js';
import { DuplicateError } from '../../../../shared/domain/domain-error.js';
import type { Email } from '../../domain/email.value-object.js';
import { EmailAlreadyRegisteredError } from '../../domain/identity.errors.js';
import type { User } from '../../domain/user.aggregate.js';
import { UserRepository } from '../../domain/user.repository.js';
import { UserMapper } from './user.mapper.js';
import { UserOrmEntity } from './user.orm-entity.js';

@Injectable()
export class TypeOrmUserRepository extends UserRepository {
  private readonly writer: VersionedWriter<User, UserOrmEntity>;

  constructor(context: TransactionContext) {
    super();
    this.writer = new VersionedWriter(context, UserOrmEntity, UserMapper.toRow);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.writer.repository().findOneBy({ id });
    return row === null ? undefined : UserMapper.toDomain(row);
  }

  async findByEmail(email: Email): Promise<User | undefined> {
    const row = await this.writer.repository().findOneBy({ email: email.value });
    return row === null ? undefined : UserMapper.toDomain(row);
  }

  /** The unique email index is the only unique key: a violation means a concurrent registration won. */
  async save(user: User): Promise<void> {
    try {
      await this.writer.save(user);
    } catch (error) {
      if (translatePersistenceError(error) instanceof DuplicateError) throw new EmailAlreadyRegisteredError();
      throw error;
    }
  }
}
