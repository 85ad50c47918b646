// Fraud reports under review: an administrator marks one reviewed or dismissed (or opens it again), audited.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { FraudReportStatus } from '../model.ts';

/** Sets a fraud report's status; FRAUD_REPORT_NOT_FOUND when it is unknown (or pruned as one of the oldest). */
export async function setFraudReportStatus(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  actor: string,
  id: string,
  status: FraudReportStatus,
): Promise<void> {
  await deps.store.atomically(async (repos) => {
    if (!(await repos.alerts.setStatus(id, status))) throw new CountersignError('FRAUD_REPORT_NOT_FOUND', id);
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'fraud-report.status',
      actor,
      detail: { id, status },
    });
  });
}
