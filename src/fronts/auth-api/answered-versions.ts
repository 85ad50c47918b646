// Which version of each transaction one Auth API server last answered auth_status with: a long poll holds only
// when its client has already seen the current state. Each server keeps its own; never module state.

/** Transactions remembered at most; the oldest answer is forgotten first (its next poll then answers at once). */
const LIMIT = 50_000;

export interface AnsweredVersions {
  /** True when this server already answered `txid` at `version`. */
  answered(txid: string, version: number): boolean;
  remember(txid: string, version: number): void;
}

/** An empty record, bounded to `limit` transactions (newest kept). */
export function answeredVersions(limit = LIMIT): AnsweredVersions {
  const versions = new Map<string, number>();
  return {
    answered: (txid, version) => versions.get(txid) === version,
    remember(txid, version) {
      // Re-inserted so the Map's order is the order of last answers.
      versions.delete(txid);
      versions.set(txid, version);
      if (versions.size > limit) versions.delete(versions.keys().next().value!);
    },
  };
}
