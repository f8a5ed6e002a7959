/** How far behind the saga is, as of a moment ago (a cached reading: free to ask on every request). */
export abstract class SagaBacklog {
  /** Milliseconds the oldest order still PENDING has waited for the saga; 0 when none is waiting. */
  abstract lagMs(): number;
}
