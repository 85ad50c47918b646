// Prepares a real Countersign data directory for the Auth API benchmark: init, one application, users with codes.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { createUser } from '../../src/core/admin/create-user.ts';
import { issueBypassCodes } from '../../src/core/admin/issue-bypass-codes.ts';

/** The repository root, where `bin/countersign.js` lives. */
export const REPOSITORY = join(import.meta.dirname, '..', '..');

/** A user the load generator logs in as, with a passcode that stays valid for the whole run. */
export interface BenchUser {
  username: string;
  passcode: string;
  /** The address the user signs in from (Duo's `ipaddr`): one each, as users behind their own connections. */
  ipaddr: string;
}

export interface Provisioned {
  ikey: string;
  skey: string;
  users: BenchUser[];
}

const ACTOR = 'bench';

/** The zero-padded name of bench user `index`: user0000, user0001, … */
export function benchUsername(index: number): string {
  return `user${String(index).padStart(4, '0')}`;
}

/** The address of bench user `index`: 10.0.0.0, 10.0.0.1, … (one per user, up to 16 million). */
export function benchAddress(index: number): string {
  return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

/** Runs `countersign init` on `dataDir`, exactly as an administrator would. */
export async function initDataDir(dataDir: string, databaseUrl?: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ['bin/countersign.js', 'init', '--json', '--data-dir', dataDir],
    {
      cwd: REPOSITORY,
      env: {
        ...process.env,
        COUNTERSIGN_LOG_LEVEL: 'warn',
        ...(databaseUrl !== undefined && { COUNTERSIGN_DATABASE_URL: databaseUrl }),
      },
    },
  );
}

/**
 * Through the core, on the closed data directory: one auth-api application and `userCount` users, each with
 * a bypass code of unlimited uses and a 1 h lifetime, so the same passcode login can be repeated.
 */
export async function provision(
  dataDir: string,
  userCount: number,
  databaseUrl?: string,
): Promise<Provisioned> {
  const countersign = await openCountersign(
    buildConfig(
      undefined,
      {},
      { data_dir: dataDir, ...(databaseUrl !== undefined && { database_url: databaseUrl }) },
    ),
  );
  try {
    const { deps } = countersign;
    const { app, skey } = await createApplication(deps, ACTOR, { name: 'bench', type: 'auth-api' });
    const users: BenchUser[] = new Array(userCount);
    // A few at a time: PostgreSQL takes them side by side, SQLite in shared commits.
    const addUser = async (index: number) => {
      const user = await createUser(deps, ACTOR, { username: benchUsername(index) });
      const { codes } = await issueBypassCodes(deps, ACTOR, user, { uses: null, expiresInSeconds: 3600 });
      users[index] = { username: user.username, passcode: codes[0]!, ipaddr: benchAddress(index) };
    };
    for (let start = 0; start < userCount; start += 16) {
      const chunk = Array.from({ length: Math.min(16, userCount - start) }, (_, i) => addUser(start + i));
      await Promise.all(chunk);
    }
    return { ikey: app.ikey, skey, users };
  } finally {
    await countersign.close();
  }
}
