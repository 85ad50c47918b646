// Printable backup codes: 10 single-use codes with no expiry; a new set replaces the old one.
import { issueBypassCodes } from '../admin/issue-bypass-codes.ts';
import type { CoreDeps } from '../deps.ts';
import type { User } from '../model.ts';

export const BACKUP_CODE_COUNT = 10;

/** Revokes the user's active codes and issues a fresh set; returns the codes (shown once). */
export async function replaceBackupCodes(deps: CoreDeps, actor: string, user: User): Promise<string[]> {
  const { codes } = await issueBypassCodes(deps, actor, user, {
    count: BACKUP_CODE_COUNT,
    uses: 1,
    expiresInSeconds: null,
    replaceExisting: true,
  });
  return codes;
}
