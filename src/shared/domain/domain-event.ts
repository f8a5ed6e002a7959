/**
 * Something that happened inside an aggregate, in the past tense. `type` is the stable, context-qualified name
 * (`identity.user_registered`) used for routing, logs and — once the outbox lands — persisted rows.
 */
export abstract class DomainEvent {
  abstract readonly type: string;

  protected constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
  ) {}
}
