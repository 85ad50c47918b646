// `countersign device …`: the Node device client from the command line (activate, answer pushes, passcodes).
import { CountersignError, ERRORS, type ErrorCode } from '../../core/errors.ts';
import { DEVICE_ID, type DeviceAccount, publicView } from '../../device-client/account.ts';
import { listAccounts, loadAccount, saveAccount } from '../../device-client/account-file.ts';
import { activateDevice } from '../../device-client/activate.ts';
import { createDeviceClient, type DeviceClient } from '../../device-client/client.ts';
import { DeviceApiError, DeviceInputError } from '../../device-client/errors.ts';
import type { PendingRequest } from '../../device-protocol/messages.ts';
import { type Command, CommandFailure, type Invocation, UsageError } from '../command.ts';
import { configFor } from '../context.ts';
import { formatRecord, formatTable, print } from '../output.ts';

const TXID = /^[A-Za-z0-9_-]{1,64}$/;
const DEVICE_OPTION = { device: { type: 'string' } } as const;

/** Maps the client's typed errors onto the CLI's: bad input → exit 2, a server refusal → its core error. */
function cliError(error: unknown): unknown {
  if (error instanceof DeviceInputError) return new UsageError(error.message);
  if (!(error instanceof DeviceApiError)) return error;
  if (error.status >= 400 && error.status < 500 && error.code in ERRORS) {
    const code = error.code as ErrorCode;
    // The server's message repeats the generic one except for bad input, where it says what was wrong.
    const detail = error.serverMessage === ERRORS[code].message ? undefined : error.serverMessage;
    return new CountersignError(code, detail);
  }
  return new CommandFailure(error.message);
}

/** Runs a device command with the CLI's error mapping. */
async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw cliError(error);
  }
}

function dataDir(invocation: Invocation): string {
  return configFor(invocation).data_dir;
}

async function account(invocation: Invocation): Promise<DeviceAccount> {
  const id = invocation.values.device;
  if (id !== undefined && (typeof id !== 'string' || !DEVICE_ID.test(id)))
    throw new UsageError(
      '--device must be a device id (20 letters and digits, see `countersign device list`)',
    );
  return loadAccount(dataDir(invocation), id);
}

async function client(invocation: Invocation): Promise<DeviceClient> {
  return createDeviceClient(await account(invocation));
}

function txidArgument(invocation: Invocation): string {
  const txid = invocation.positionals[0]!;
  if (!TXID.test(txid)) throw new UsageError(`'${txid}' is not a transaction id`);
  return txid;
}

function showRequests(requests: PendingRequest[]): string {
  const rows = requests.map((request) => ({
    txid: request.txid,
    application: request.application,
    username: request.username,
    type: request.type,
    ip: request.ip,
    expires: new Date(request.expiresAt).toISOString(),
    code: request.verification ? `${request.verification.digits} digits` : null,
  }));
  return formatTable(rows, ['txid', 'application', 'username', 'type', 'ip', 'expires', 'code']);
}

const activate: Command = {
  name: 'device activate',
  summary: 'Activate this machine as a Countersign Authenticator (saves the key under <data_dir>/devices/).',
  usage: 'countersign device activate <activation link | code@server-url> [--name N]',
  positionals: 1,
  options: { name: { type: 'string' } },
  run: (invocation) =>
    mapped(async () => {
      const name = invocation.values.name;
      if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > 64))
        throw new UsageError('--name must be 1 to 64 characters');
      const activated = await activateDevice(invocation.positionals[0]!, {
        ...(typeof name === 'string' && { name }),
      });
      const file = await saveAccount(dataDir(invocation), activated);
      const shown = { ...publicView(activated), file };
      print(invocation.io, invocation.json, shown);
      return shown;
    }),
};

const pending: Command = {
  name: 'device pending',
  summary: 'List the login requests waiting for this device.',
  usage: 'countersign device pending [--device ID]',
  options: DEVICE_OPTION,
  run: (invocation) =>
    mapped(async () => {
      const requests = await (await client(invocation)).pending();
      print(invocation.io, invocation.json, { requests }, () => showRequests(requests));
      return requests;
    }),
};

const approve: Command = {
  name: 'device approve',
  summary: 'Approve a login request (verified push: --code with the number on the login screen).',
  usage: 'countersign device approve <txid> [--code N] [--device ID]',
  positionals: 1,
  options: { ...DEVICE_OPTION, code: { type: 'string' } },
  run: (invocation) =>
    mapped(async () => {
      const txid = txidArgument(invocation);
      const code = invocation.values.code;
      if (code !== undefined && (typeof code !== 'string' || !/^[0-9]{1,16}$/.test(code)))
        throw new UsageError('--code must be the digits shown on the login screen');
      const device = await client(invocation);
      const request = (await device.pending()).find((candidate) => candidate.txid === txid);
      if (request?.verification && code === undefined) {
        throw new UsageError(
          `request ${txid} asks for the ${request.verification.digits}-digit number shown on the login screen: add --code N`,
        );
      }
      const state = await device.approve(txid, code);
      if (state !== 'allow')
        throw new CommandFailure(`login ${txid} was denied: the verification code was wrong`);
      const result = { txid, state };
      print(invocation.io, invocation.json, result);
      return result;
    }),
};

const deny: Command = {
  name: 'device deny',
  summary: 'Deny a login request; --fraud reports it as fraudulent (pushes pause, administrators are told).',
  usage: 'countersign device deny <txid> [--fraud] [--device ID]',
  positionals: 1,
  options: { ...DEVICE_OPTION, fraud: { type: 'boolean' } },
  run: (invocation) =>
    mapped(async () => {
      const txid = txidArgument(invocation);
      const state = await (await client(invocation)).deny(txid, { fraud: invocation.values.fraud === true });
      const result = { txid, state };
      print(invocation.io, invocation.json, result);
      return result;
    }),
};

const passcode: Command = {
  name: 'device passcode',
  summary: "Show this device's current offline passcode and the seconds it has left.",
  usage: 'countersign device passcode [--device ID]',
  options: DEVICE_OPTION,
  run: (invocation) =>
    mapped(async () => {
      const device = await client(invocation);
      const result = { deviceId: device.account.deviceId, ...(await device.passcode(Date.now())) };
      print(invocation.io, invocation.json, result, () =>
        formatRecord({ passcode: result.passcode, 'seconds left': result.secondsLeft }),
      );
      return result;
    }),
};

const list: Command = {
  name: 'device list',
  summary: 'List the device accounts saved on this machine.',
  usage: 'countersign device list',
  run: (invocation) =>
    mapped(async () => {
      const devices = (await listAccounts(dataDir(invocation))).map(publicView);
      print(invocation.io, invocation.json, { devices }, () =>
        formatTable(devices, ['deviceId', 'username', 'organization', 'serverUrl', 'name']),
      );
      return devices;
    }),
};

export const deviceCommands: Command[] = [activate, pending, approve, deny, passcode, list];
