// (b) Password checks per second through the login path (verifyPrimary), against raw argon2id verifications.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { verify } from '@node-rs/argon2';
import { openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { createUser } from '../../src/core/admin/create-user.ts';
import { secureRandom } from '../../src/core/clock.ts';
import { verifyPrimary } from '../../src/core/primary-auth.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { ARGON2_PARAMS } from '../../src/primary/local-password.ts';
import { describeMeasurement } from '../report.ts';
import { BenchFailure, type BenchSuite, compare } from '../suite.ts';
import { loopSide } from '../support/closed-loop.ts';
import { measureInRounds } from '../support/rounds.ts';

const USERS = 16;
/** libuv's default thread pool size: @node-rs/argon2 runs each verification there. */
const IN_FLIGHT = 4;

interface PasswordUser {
  username: string;
  password: string;
  hash: string;
}

export const suite: BenchSuite = {
  name: 'password',
  summary: 'verifyPrimary checks/s (SQLite, correct passwords) ÷ raw argon2id verify/s, 4 in flight',
  target: 0.9,
  async run(options) {
    const dataDir = await mkdtemp(join(tmpdir(), 'countersign-bench-'));
    const countersign = await openCountersign(buildConfig(undefined, {}, { data_dir: dataDir }), {
      ring: newKeyRing(secureRandom),
    });
    try {
      const { deps } = countersign;
      const { app } = await createApplication(deps, 'bench', { name: 'bench', type: 'auth-api' });
      const users: PasswordUser[] = [];
      for (let index = 0; index < USERS; index++) {
        const username = `user${index}`;
        const password = `correct horse ${index} battery staple`;
        const user = await createUser(deps, 'bench', { username, password });
        users.push({ username, password, hash: user.passwordHash! });
      }
      const userAt = (index: number) => users[index % USERS]!;
      const limit = loopSide('raw argon2id verify', IN_FLIGHT, performance, (index) =>
        verify(userAt(index).hash, userAt(index).password),
      );
      const measured = loopSide('verifyPrimary', IN_FLIGHT, performance, async (index) => {
        const user = userAt(index);
        return (await verifyPrimary(deps, app, user.username, user.password, '127.0.0.1')).ok;
      });
      options.log(
        `argon2id m=${ARGON2_PARAMS.memoryCost} KiB t=${ARGON2_PARAMS.timeCost} p=${ARGON2_PARAMS.parallelism}; ${USERS} users, ${IN_FLIGHT} in flight; ${options.warmupSeconds} s warm-up each, then ${options.rounds} alternating rounds, ${options.seconds} s per side`,
      );
      const outcome = await measureInRounds(measured, limit, { ...options, settleMs: 0, sleep });
      options.log(describeMeasurement(outcome.limit));
      options.log(describeMeasurement(outcome.measured));
      if (outcome.wrong > 0) {
        throw new BenchFailure(
          `${outcome.wrong} checks of correct passwords did not pass (warm-up included)`,
        );
      }
      return compare(this.name, this.target, outcome.measured, outcome.limit);
    } finally {
      await countersign.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
