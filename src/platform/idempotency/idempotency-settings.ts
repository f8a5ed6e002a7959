/** Timings of the idempotency platform; a class so it is its own DI token (tests replace it). */
export abstract class IdempotencySettings {
  /** How long an answer is replayed (SPEC §4: 24 h); an older record counts as absent. */
  abstract readonly retentionMs: number;
  /** How often expired records are deleted. */
  abstract readonly pruneIntervalMs: number;
  /** Rows per DELETE, so pruning never holds many locks or one long statement. */
  abstract readonly pruneBatchSize: number;
}

export const DEFAULT_IDEMPOTENCY_SETTINGS: IdempotencySettings = {
  retentionMs: 24 * 60 * 60_000,
  pruneIntervalMs: 10 * 60_000,
  pruneBatchSize: 1_000,
};
