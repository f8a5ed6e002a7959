import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../../domain/role.js';
import { USER_STATUSES, type UserStatus } from '../../../domain/user-status.js';

/** Documentation of UserView as it goes over the wire. */
export class UserResponse {
  @ApiProperty({ format: 'uuid', example: '01935f3a-7c2e-7b1a-9d4e-2f6a8b9c0d1e' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  displayName: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['customer'] })
  roles: Role[];

  @ApiProperty({ enum: USER_STATUSES, example: 'active' })
  status: UserStatus;

  @ApiProperty({ example: 1, description: 'Grows by one with every change' })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
