/** Immutable, compared by value. Subclasses validate in a static factory and freeze their props. */
export abstract class ValueObject<TProps extends object> {
  protected readonly props: Readonly<TProps>;

  protected constructor(props: TProps) {
    this.props = Object.freeze({ ...props });
  }

  equals(other: ValueObject<TProps> | undefined): boolean {
    if (other === undefined || other.constructor !== this.constructor) return false;
    const mine = this.props as Record<string, unknown>;
    const theirs = other.props as Record<string, unknown>;
    return Object.keys(mine).every((key) => Object.is(mine[key], theirs[key]));
  }
}
