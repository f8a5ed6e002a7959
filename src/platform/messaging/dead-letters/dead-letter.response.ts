import { ApiProperty } from '@nestjs/swagger';

/** A dead letter as an admin sees it. */
export class DeadLetterResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid', description: 'The event (also the broker message id)' })
  eventId: string;

  @ApiProperty({ example: 'identity.user_registered' })
  eventType: string;

  @ApiProperty({ description: 'The handler that gave up', example: 'OpenWalletOnUserRegistered' })
  handler: string;

  @ApiProperty({ example: 8 })
  attempts: number;

  @ApiProperty({ description: 'The last error the handler raised' })
  lastError: string;

  @ApiProperty({ nullable: true, type: String, description: 'Trace id of the request that caused the event' })
  traceId: string | null;

  @ApiProperty({ format: 'date-time' })
  deadAt: string;

  @ApiProperty({ enum: ['dead', 'replayed'], description: '`replayed`: put back in the queue by an admin' })
  status: 'dead' | 'replayed';

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  replayedAt: string | null;
}
