import type { SagaParticipant } from '../../../domain/saga-participant.js';

/** A saga participant's answer to an order's `order_placed`, as its event handler hands it over. */
export class RecordSagaAnswerCommand {
  constructor(
    readonly orderId: string,
    readonly participant: SagaParticipant,
    readonly answer: 'reserved' | 'refused',
  ) {}
}
