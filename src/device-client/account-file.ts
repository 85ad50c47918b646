// The Node client's keystore: one JSON file per device account under `<data_dir>/devices/`, readable by its owner only.
import { chmod, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVICE_ID, type DeviceAccount, parseAccount } from './account.ts';
import { DeviceInputError } from './errors.ts';

/** The folder holding the account files. */
export function devicesDir(dataDir: string): string {
  return join(dataDir, 'devices');
}

/** The account file of `deviceId`. */
export function accountPath(dataDir: string, deviceId: string): string {
  if (!DEVICE_ID.test(deviceId))
    throw new DeviceInputError(`'${deviceId}' is not a device id (20 letters/digits)`);
  return join(devicesDir(dataDir), `${deviceId}.json`);
}

/** Saves (or replaces) an account; the file holds the private key, so it is mode 0600 in a 0700 folder. */
export async function saveAccount(dataDir: string, account: DeviceAccount): Promise<string> {
  const path = accountPath(dataDir, account.deviceId);
  await mkdir(devicesDir(dataDir), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  // The mode given to writeFile is masked by the umask and ignored for an existing file: set it outright.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

async function readAccount(path: string): Promise<DeviceAccount> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DeviceInputError(`no device account file ${path}`);
    throw new DeviceInputError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseAccount(value, path);
}

/** Every saved account, sorted by device id. */
export async function listAccounts(dataDir: string): Promise<DeviceAccount[]> {
  let names: string[];
  try {
    names = await readdir(devicesDir(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const ids = names
    .filter((name) => name.endsWith('.json') && DEVICE_ID.test(name.slice(0, -5)))
    .map((name) => name.slice(0, -5))
    .sort();
  return Promise.all(ids.map((id) => readAccount(accountPath(dataDir, id))));
}

/** Loads `deviceId`'s account, or the only one there is when no id is given. */
export async function loadAccount(dataDir: string, deviceId?: string): Promise<DeviceAccount> {
  if (deviceId !== undefined) return readAccount(accountPath(dataDir, deviceId));
  const accounts = await listAccounts(dataDir);
  if (accounts.length === 1) return accounts[0]!;
  if (accounts.length === 0) {
    throw new DeviceInputError(
      `no device account in ${devicesDir(dataDir)}: run 'countersign device activate <link>' first`,
    );
  }
  const ids = accounts.map((account) => account.deviceId).join(', ');
  throw new DeviceInputError(
    `there are ${accounts.length} device accounts (${ids}): choose one with --device ID`,
  );
}
