import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../../../../platform/http/page.query.js';

export class ListOrdersQueryParams extends PageQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Admins: only this user’s orders. Customers may only name themselves (anyone else is 403 40300).',
  })
  @IsOptional()
  // Ids are stored lower-case; any spelling of the same id names the same user (as UuidParam does for paths).
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsUUID()
  userId?: string;
}
