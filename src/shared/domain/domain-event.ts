/**
 * Something that happened inside an aggregate, in the past tense. `type` is the stable, context-qualified name
 * (`identity.user_registered`) used for routing, logs, outbox rows and broker routing keys.
 *
 * The unit of work stores every event an aggregate recorded in the outbox, in the transaction that saved the
 * aggregate; from there it reaches handlers (in-process, through the relay) and other services (the broker).
 * What leaves the aggregate is `payload()`: an explicit, versioned shape that the publishing context also
 * declares in its `contracts/`, so subscribers never depend on the domain class.
 */
export abstract class DomainEvent {
  abstract readonly type: string;
  /** Version of the payload's shape. Bump it — and keep publishing the old version meanwhile — on a breaking change. */
  readonly version: number = 1;

  protected constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
  ) {}

  /** The published data: JSON-serialisable, matching the contract of `type`@`version`. */
  abstract payload(): Readonly<Record<string, unknown>>;
}
