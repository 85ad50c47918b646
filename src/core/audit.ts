// Writes audit entries: every authentication and every administrative action leaves one.
import type { AuditEntry } from './model.ts';
import type { Repositories } from './repositories.ts';

type AuditInput = Pick<AuditEntry, 'kind' | 'action'> & Partial<Omit<AuditEntry, 'id' | 'kind' | 'action'>>;

/** Appends one audit entry, filling unset fields with null. */
export async function audit(repos: Repositories, at: number, input: AuditInput): Promise<void> {
  await repos.audit.append({
    at,
    actor: null,
    userId: null,
    username: null,
    applicationId: null,
    factor: null,
    result: null,
    reason: null,
    ip: null,
    detail: {},
    ...input,
  });
}
