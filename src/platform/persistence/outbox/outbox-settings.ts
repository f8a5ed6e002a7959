/** How the outbox behaves; built from AppConfig by the database module, replaced by tests that need other timings. */
export abstract class OutboxSettings {
  /** A broker is configured: rows wait for it (published_at NULL) instead of being marked as nothing to publish. */
  abstract readonly brokerEnabled: boolean;
  abstract readonly maxAttempts: number;
  /** First retry delay; each further attempt doubles it (with jitter). */
  abstract readonly retryBaseMs: number;
  abstract readonly pollIntervalMs: number;
  /** How long a relay owns the rows it claimed; a crashed relay's rows become claimable again after it. */
  abstract readonly claimLeaseMs: number;
  abstract readonly batchSize: number;
  /**
   * Aggregates whose events one relay delivers side by side, each in a transaction of its own. Half the pool, so a
   * burst of events never takes the connections the requests need.
   */
  abstract readonly deliveryConcurrency: number;
  abstract readonly retentionMs: number;
}
