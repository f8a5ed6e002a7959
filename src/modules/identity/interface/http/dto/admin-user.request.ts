import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { DISPLAY_NAME_MAX_LENGTH } from '../../../domain/display-name.value-object.js';
import { ROLES, type Role } from '../../../domain/role.js';
import { ASSIGNABLE_STATUSES, type AssignableStatus } from '../../../domain/user-status.js';
import { RegisterRequest } from './credentials.request.js';

export class CreateUserRequest extends RegisterRequest {
  @ApiPropertyOptional({ enum: ROLES, isArray: true, default: ['customer'] })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
}

export class UpdateUserRequest {
  @ApiPropertyOptional({ enum: ROLES, isArray: true, example: ['customer', 'admin'] })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ enum: ASSIGNABLE_STATUSES, description: 'Suspending revokes every session at once' })
  @IsOptional()
  @IsIn(ASSIGNABLE_STATUSES)
  status?: AssignableStatus;

  @ApiPropertyOptional({ minLength: 1, maxLength: DISPLAY_NAME_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, DISPLAY_NAME_MAX_LENGTH)
  displayName?: string;
}
