import type { DomainEvent } from './domain-event.js';
import { Entity } from './entity.js';

/**
 * A consistency boundary. It records the events its methods cause; the unit of work writes them to the outbox in
 * the transaction that saves the aggregate, so aggregates never publish anything themselves.
 *
 * Versioning drives optimistic locking: `storedVersion` is what the database row holds (0 = not stored yet),
 * `version` what it will hold after the next save. Mutating methods call `touch()`, which bumps the version once
 * per save however many changes were made, so clients see `version` grow by exactly one per write.
 */
export abstract class AggregateRoot<TId extends string = string> extends Entity<TId> {
  private readonly recordedEvents: DomainEvent[] = [];
  private currentVersion: number;
  private storedVersion: number;

  /** New aggregates pass no version (they start at 1, unsaved); `restore` factories pass the stored one. */
  protected constructor(id: TId, storedVersion?: number) {
    super(id);
    this.storedVersion = storedVersion ?? 0;
    this.currentVersion = storedVersion ?? 1;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** The version the stored row must still have for this save to win; 0 for an aggregate never saved. */
  get expectedStoredVersion(): number {
    return this.storedVersion;
  }

  get isNew(): boolean {
    return this.storedVersion === 0;
  }

  get hasUnsavedChanges(): boolean {
    return this.currentVersion !== this.storedVersion;
  }

  protected touch(): void {
    if (this.currentVersion === this.storedVersion) this.currentVersion += 1;
  }

  protected record(event: DomainEvent): void {
    this.recordedEvents.push(event);
  }

  /**
   * The events recorded since the last commit. They stay here until `markSaved()`: a transaction that rolls back
   * and is retried with the same aggregate writes them again, once.
   */
  get pendingEvents(): readonly DomainEvent[] {
    return this.recordedEvents;
  }

  /** Called by the unit of work once the transaction that saved this aggregate has committed. */
  markSaved(): void {
    this.storedVersion = this.currentVersion;
    this.recordedEvents.length = 0;
  }
}
