import { UuidParam } from '../../http/uuid-param.js';
import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import { Clock } from '../../../shared/application/clock.js';
import { decodeCursor, toPage, type Page } from '../../../shared/application/cursor.js';
import { NotFoundError } from '../../../shared/domain/domain-error.js';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiAuthenticated, ApiEnveloped, ApiErrors, ApiTag } from '../../http/openapi.decorators.js';
import { PageQuery } from '../../http/page.query.js';
import type { DeadLetterOrmEntity } from '../../persistence/outbox/dead-letter.orm-entity.js';
import { OutboxSignal } from '../../persistence/outbox/outbox-signal.js';
import { OutboxStore } from '../../persistence/outbox/outbox-store.js';
import { traceIdOf } from '../../telemetry/tracing.js';
import { DeadLetterResponse } from './dead-letter.response.js';

/**
 * Operators' view of the events that handlers gave up on (SPEC §4). A replay puts the event back in the queue
 * with fresh attempts; handlers that had already handled it are skipped by the inbox. Platform plumbing, not a
 * use case of any context, so it talks to the outbox store directly.
 */
@ApiTag(
  'dead letters (admin)',
  'Events that an event handler gave up on after OUTBOX_MAX_ATTEMPTS: inspect them and put them back in the queue.',
)
@ApiAuthenticated()
@Roles('admin')
@Controller('api/v1/admin/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly store: OutboxStore,
    private readonly signal: OutboxSignal,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List dead letters, newest first',
    description: 'Every event a handler gave up on after OUTBOX_MAX_ATTEMPTS, replayed or not.',
  })
  @ApiEnveloped(200, DeadLetterResponse, { page: true })
  @ApiErrors(40100, 40101, 40300)
  async list(@Query() query: PageQuery): Promise<Page<DeadLetterResponse>> {
    const [beforeId] = query.cursor === undefined ? [] : decodeCursor(query.cursor, ['string']);
    const rows = await this.store.listDeadLetters(query.limit + 1, beforeId as string | undefined);
    return toPage(rows, query.limit, (row) => [row.id], toResponse);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Replay a dead letter',
    description:
      'Puts the event back in the queue for the handlers that gave up on it, with fresh attempts. Replaying a ' +
      'dead letter that was already replayed changes nothing and answers it as it is.',
  })
  @ApiEnveloped(200, DeadLetterResponse)
  @ApiErrors(40100, 40101, 40300, 40400)
  async replay(
    @Param('id', UuidParam)
    id: string,
  ): Promise<DeadLetterResponse> {
    const replayed = await this.store.replayDeadLetter(id, this.clock.now());
    if (replayed === undefined) throw new NotFoundError('Dead letter');
    this.signal.committed([replayed.eventId]);
    return toResponse(replayed.letter);
  }
}

function toResponse(row: DeadLetterOrmEntity): DeadLetterResponse {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    handler: row.handler,
    attempts: row.attempts,
    lastError: row.lastError,
    // The trace id, also when the row stores a full W3C traceparent (tracing on).
    traceId: traceIdOf(row.traceContext) ?? null,
    deadAt: row.deadAt.toISOString(),
    status: row.replayedAt === null ? 'dead' : 'replayed',
    replayedAt: row.replayedAt?.toISOString() ?? null,
  };
}
