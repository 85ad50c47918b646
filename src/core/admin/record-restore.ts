// Records a database restore in the restored database itself: the log then says who put it back, from which file.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';

/** Appends an `admin` entry `database.restore` naming `actor` and the backup file. */
export async function recordRestore(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  actor: string,
  restored: { file: string; bytes: number },
): Promise<void> {
  await audit(deps.store, deps.clock.now(), {
    kind: 'admin',
    action: 'database.restore',
    actor,
    detail: restored,
  });
}
