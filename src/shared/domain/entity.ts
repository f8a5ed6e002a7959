/** An object with identity: two entities are the same when their ids are, whatever their state. */
export abstract class Entity<TId extends string = string> {
  protected constructor(readonly id: TId) {}

  equals(other: Entity<TId> | undefined): boolean {
    return other !== undefined && other.constructor === this.constructor && other.id === this.id;
  }
}
