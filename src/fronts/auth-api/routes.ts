// The Auth API v2 endpoints, one handler each; the plugin wires them with signature checks.
import { readFile } from 'node:fs/promises';
import type { CoreDeps } from '../../core/deps.ts';
import { evaluateAccess, evaluateUnknownUser } from '../../core/evaluate-access.ts';
import type { Application } from '../../core/model.ts';
import {
  authenticateAndRemember,
  authenticateWithPasscode,
  beginTransaction,
  isFinal,
  pushAndAwait,
  startAndAwait,
  startFactor,
  textPasscodes,
  waitForChange,
} from '../../core/transaction/index.ts';
import { parseFormPairs } from '../../crypto/duo-signature/index.ts';
import { phoneNumberOf } from '../../methods/phone/phone-device.ts';
import { DuoApiError, invalidParameter, missingParameter } from '../duo-api/envelope.ts';
import type { AnsweredVersions } from './answered-versions.ts';
import { describeDevices, describePrompt, describeStatus } from './describe.ts';
import { findUser, readIp } from './find-user.ts';
import { describeOutcome, preauthRemembered } from './trusted-device.ts';
import { takeWaitingAnswer } from './waiting-cap.ts';

export interface AuthApiContext {
  deps: CoreDeps;
  publicUrl: string;
  logoFile: string | undefined;
  /** How long one auth_status long poll holds before answering with an unchanged status. */
  pollHoldMs: number;
  /** How long a synchronous push auth may hold its request. */
  maxSyncWaitMs: number;
}

export interface CallContext {
  app: Application;
  params: Map<string, string>;
  signal: AbortSignal;
  /** The versions this server answered auth_status with (one record per server). */
  answered: AnsweredVersions;
}

export type Handler = (ctx: AuthApiContext, call: CallContext) => Promise<unknown>;

const FACTORS = ['auto', 'push', 'passcode', 'phone', 'sms', 'prompt'];

/** GET /check: the signature was good; answer with the server time. */
export const check: Handler = async (ctx) => ({ time: Math.floor(ctx.deps.clock.now() / 1000) });

/** GET /logo: the configured PNG (sent raw by the plugin), or 40401. */
export async function logo(ctx: AuthApiContext): Promise<Buffer> {
  if (!ctx.logoFile) throw new DuoApiError(404, 40401, 'Resource not found', 'no logo is configured');
  return readFile(ctx.logoFile);
}

/** POST /preauth: may this user log in, and with which devices. */
export const preauth: Handler = async (ctx, { app, params }) => {
  const { deps } = ctx;
  const { user } = await findUser(deps, params);
  const ip = readIp(params);
  const now = deps.clock.now();
  const decision = user
    ? await evaluateAccess(deps.store, app, user, now)
    : await evaluateUnknownUser(deps.store, app, now);
  switch (decision.result) {
    case 'auth': {
      const token = params.get('trusted_device_token');
      const remembered = await preauthRemembered(deps, { app, user: decision.user, ip }, token);
      if (remembered) return remembered;
      const { enabled, canCall } = deps.telephony;
      const telephony = { enabled, canCall, allowedMethods: decision.policy.allowedMethods };
      const devices = describeDevices(decision.authenticators, telephony);
      // duo_unix reads `prompt` to build its menu; other clients ignore it.
      const prompt = describePrompt(decision.user.username, devices);
      return { result: 'auth', status_msg: 'Account is active', devices, prompt };
    }
    case 'enroll':
      return {
        result: 'enroll',
        status_msg: 'Enroll an authentication device to proceed',
        enroll_portal_url: `${ctx.publicUrl}/portal`,
      };
    default: {
      const { status_msg } = describeStatus({ state: decision.result, reason: decision.reason });
      return { result: decision.result, status_msg };
    }
  }
};

/** Duo's `pushinfo`: a URL-encoded `k=v&…` string under 20,000 bytes, shown in the app. */
export function readPushinfo(params: Map<string, string>): Array<[string, string]> {
  const pushinfo = params.get('pushinfo');
  if (pushinfo === undefined || pushinfo === '') return [];
  if (Buffer.byteLength(pushinfo) >= 20_000) throw invalidParameter('pushinfo');
  const pairs = parseFormPairs(pushinfo);
  if (pairs === null) throw invalidParameter('pushinfo');
  return pairs.slice(0, 20).map(([key, value]) => [key.slice(0, 100), value.slice(0, 500)]);
}

/** Picks the factor a duo_unix `prompt` answer stands for: a passcode, or `push1`, `phone1`, `sms1`… */
function readPrompt(params: Map<string, string>): {
  factor: 'passcode' | 'push' | 'phone' | 'sms';
  passcode?: string;
  device?: number;
} {
  const prompt = params.get('prompt');
  if (prompt === undefined) throw missingParameter('prompt');
  const text = prompt.trim();
  if (/^[0-9]{6,9}$/.test(text)) return { factor: 'passcode', passcode: text };
  const menu = /^(push|phone|sms)([0-9]{1,2})$/.exec(text);
  if (menu) return { factor: menu[1] as 'push' | 'phone' | 'sms', device: Number(menu[2]) };
  throw invalidParameter('prompt');
}

/** The id of the `index`-th (from 1) device of the user that `kind` numbers in duo_unix's menu, or 'none'. */
async function nthDevice(
  deps: CoreDeps,
  userId: string,
  kind: 'push' | 'phone',
  index: number,
): Promise<string> {
  const devices = (await deps.store.authenticators.listForUser(userId)).filter((a) =>
    kind === 'push' ? a.kind === 'push' : phoneNumberOf(a) !== null,
  );
  return devices[index - 1]?.id ?? 'none';
}

/** `factor=auto` calls (as Duo's does) when the user has no Authenticator app but a phone telephony can call. */
async function callsInsteadOfPush(deps: CoreDeps, userId: string): Promise<boolean> {
  if (!deps.telephony.canCall) return false;
  const devices = await deps.store.authenticators.listForUser(userId);
  return !devices.some((a) => a.kind === 'push') && devices.some((a) => phoneNumberOf(a) !== null);
}

/** POST /auth: run the second factor, synchronously or (async=1) returning a txid. */
export const auth: Handler = async (ctx, { app, params, signal }) => {
  const { deps } = ctx;
  let factor = params.get('factor');
  if (factor === undefined) throw missingParameter('factor');
  if (!FACTORS.includes(factor)) throw invalidParameter('factor');
  const { user } = await findUser(deps, params);
  if (!user) throw invalidParameter('username');
  const ip = readIp(params);
  const isAsync = params.get('async') === '1' || params.get('async') === 'true';
  let passcode = params.get('passcode');
  let device = params.get('device') ?? 'auto';

  if (factor === 'prompt') {
    const prompt = readPrompt(params);
    factor = prompt.factor;
    passcode = prompt.passcode;
    if (prompt.device !== undefined)
      device = await nthDevice(deps, user.id, prompt.factor === 'push' ? 'push' : 'phone', prompt.device);
  }
  if (factor === 'auto' && (await callsInsteadOfPush(deps, user.id))) factor = 'phone';
  if (factor === 'phone' || factor === 'sms') {
    if (!deps.telephony.enabled || (factor === 'phone' && !deps.telephony.canCall))
      throw invalidParameter(`factor '${factor}' is not enabled on this server`);
    const { tx } = await beginTransaction(deps, { app, user, ip, factor });
    if (tx.state !== 'awaiting_factor') return isAsync ? { txid: tx.id } : describeOutcome(deps, tx);
    if (factor === 'sms') {
      // Duo's answer: the login ends as deny/sent, and the user signs in again with a texted code.
      const sent = await textPasscodes(deps, tx.id, { device, end: true });
      return isAsync ? { txid: sent.id } : describeOutcome(deps, sent);
    }
    if (isAsync) return { txid: (await startFactor(deps, tx.id, 'phone', { device })).tx.id };
    return describeOutcome(
      deps,
      await startAndAwait(deps, tx.id, 'phone', { device }, { maxMs: ctx.maxSyncWaitMs, signal }),
    );
  }
  if (factor === 'passcode') {
    if (passcode === undefined || passcode === '') throw missingParameter('passcode');
    if (passcode.length > 64) throw invalidParameter('passcode');
    if (isAsync) return { txid: (await authenticateWithPasscode(deps, { app, user, ip }, passcode)).id };
    // Synchronous: the login and its trusted_device_token commit together.
    const { tx, remembered } = await authenticateAndRemember(deps, { app, user, ip }, passcode);
    return describeOutcome(deps, tx, { remembered });
  }

  // push or auto: an out-of-band request to the Countersign Authenticator.
  const details = readPushinfo(params);
  const type = params.get('type')?.slice(0, 40);
  const displayUsername = params.get('display_username')?.slice(0, 128);
  const { tx } = await beginTransaction(deps, { app, user, ip, factor: 'push' });
  // Policy decided at once (allowed, denied, locked out): nothing to push.
  if (tx.state !== 'awaiting_factor') return isAsync ? { txid: tx.id } : describeOutcome(deps, tx);
  const push = {
    device,
    details,
    automatic: factor === 'auto',
    canShowCode: params.get('client_supports_verified_push') === '1',
    ...(type !== undefined && { type }),
    ...(displayUsername !== undefined && { displayUsername }),
  };
  if (isAsync) return { txid: (await startFactor(deps, tx.id, 'push', push)).tx.id };
  return describeOutcome(
    deps,
    await pushAndAwait(deps, tx.id, { ...push, maxMs: ctx.maxSyncWaitMs, signal }),
  );
};

/**
 * GET /auth_status: the outcome of an async auth, held open while nothing has changed. A login still open after
 * MAX_WAITING_ANSWERS `waiting` answers is answered as timed out (waiting-cap.ts: duo_unix 2.x would let it in).
 */
export const authStatus: Handler = async (ctx, { app, params, signal, answered }) => {
  const txid = params.get('txid');
  if (txid === undefined || txid === '') throw missingParameter('txid');
  let tx = await ctx.deps.store.transactions.get(txid);
  // Another integration's transaction is as unknown as a made-up one.
  if (!tx || tx.applicationId !== app.id) throw invalidParameter('txid');
  // Wire reference: a long poll holds only when nothing changed since this client's last answer, so the first
  // poll returns at once (with the verified-push number the user must see).
  if (!isFinal(tx.state) && answered.answered(txid, tx.version)) {
    tx = await waitForChange(ctx.deps, txid, tx.version, ctx.pollHoldMs, signal);
  }
  answered.remember(txid, tx.version);
  if (!isFinal(tx.state) && !(await takeWaitingAnswer(ctx.deps, tx))) {
    return describeStatus({ state: 'timeout', reason: 'timeout' });
  }
  return describeOutcome(ctx.deps, tx);
};
