// Child process for crash.test.ts: one passcode login through the core, a line on stdout after the commit, then
// it waits to be killed with SIGKILL. Usage: node crash-child.ts <sqlite> <key file> <now ms> <username> <code> <word>
import { manualClock, secureRandom } from '../../src/core/clock.ts';
import { inProcessBus } from '../../src/core/events.ts';
import { DEFAULT_START_LIMITS } from '../../src/core/limits/start-limits.ts';
import { silentNotifier } from '../../src/core/notify.ts';
import { localPrimaryAuth } from '../../src/core/primary-auth.ts';
import { authenticateWithPasscode } from '../../src/core/transaction/index.ts';
import { readKeyFile } from '../../src/crypto/keyring.ts';
import { openStore } from '../../src/store/open-store.ts';
import { telephonyOff } from '../../src/telephony/telephony.ts';

const [sqlitePath, keyFile, nowMs, username, code, word] = process.argv.slice(2);
if (!sqlitePath || !keyFile || !nowMs || !username || !code || !word) {
  process.stderr.write('usage: crash-child.ts <sqlite> <key file> <now ms> <username> <code> <word>\n');
  process.exit(2);
}
const store = await openStore({ sqlitePath });
const deps = {
  store,
  bus: inProcessBus(),
  clock: manualClock(Number(nowMs)),
  random: secureRandom,
  ring: await readKeyFile(keyFile),
  primary: localPrimaryAuth,
  notify: silentNotifier,
  limits: DEFAULT_START_LIMITS,
  telephony: telephonyOff(),
};
const user = await store.users.findByName(username);
const [app] = await store.applications.list();
if (!user || !app) throw new Error('crash-child: the parent did not create the user and application');
const tx = await authenticateWithPasscode(deps, { app, user, ip: null }, code);
// authenticateWithPasscode has returned: its database transaction is committed.
process.stdout.write(`${word} ${tx.state}\n`);
// Stay alive (and keep the database open) until the parent kills this process.
setInterval(() => {}, 60_000);
