import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row shape of identity_users. Persistence only: the domain never sees this class (see user.mapper.ts). */
@Entity({ name: 'identity_users' })
export class UserOrmEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  /** Comma-separated, canonical order (`customer,admin`). */
  @Column({ type: 'varchar', length: 64 })
  roles: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;
}
