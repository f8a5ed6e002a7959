/** Ids are UUID v7 (time-ordered, so primary-key inserts stay append-only and keyset pagination is cheap). */
export abstract class IdGenerator {
  abstract next(): string;
}
