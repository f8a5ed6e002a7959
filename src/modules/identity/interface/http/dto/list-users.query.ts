import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../../../../platform/http/page.query.js';
import { ROLES, type Role } from '../../../domain/role.js';
import { USER_STATUSES, type UserStatus } from '../../../domain/user-status.js';

export class ListUsersQueryParams extends PageQuery {
  @ApiPropertyOptional({ description: 'Literal, case-insensitive email prefix (`%` and `_` match themselves)' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}
