// The Auth API v2 endpoints, one handler each; the plugin wires them with signature checks.
import { readFile } from 'node:fs/promises';
import type { CoreDeps } from '../../core/deps.ts';
import { evaluateAccess, evaluateUnknownUser } from '../../core/evaluate-access.ts';
import type { Application } from '../../core/model.ts';
import { authenticateWithPasscode } from '../../core/transaction/authenticate-with-passcode.ts';
import { isFinal } from '../../core/transaction/states.ts';
import { waitForChange } from '../../core/transaction/wait-for-change.ts';
import { describeDevices, describeStatus } from './describe.ts';
import { DuoApiError, invalidParameter, missingParameter } from './envelope.ts';
import { findUser, readIp } from './find-user.ts';

export interface AuthApiContext {
  deps: CoreDeps;
  publicUrl: string;
  logoFile: string | undefined;
  /** How long one auth_status long poll holds before answering with an unchanged status. */
  pollHoldMs: number;
}

export interface CallContext {
  app: Application;
  params: Map<string, string>;
  signal: AbortSignal;
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
  readIp(params);
  const now = deps.clock.now();
  const decision = user
    ? await evaluateAccess(deps.store, app, user, now)
    : await evaluateUnknownUser(deps.store, app, now);
  switch (decision.result) {
    case 'auth':
      return {
        result: 'auth',
        status_msg: 'Account is active',
        devices: describeDevices(decision.authenticators),
      };
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

/** POST /auth: run the second factor, synchronously or (async=1) returning a txid. */
export const auth: Handler = async (ctx, { app, params }) => {
  const { deps } = ctx;
  const factor = params.get('factor');
  if (factor === undefined) throw missingParameter('factor');
  if (!FACTORS.includes(factor)) throw invalidParameter('factor');
  const { user } = await findUser(deps, params);
  if (!user) throw invalidParameter('username');
  const ip = readIp(params);

  let passcode = params.get('passcode');
  if (factor === 'prompt') {
    const prompt = params.get('prompt');
    if (prompt === undefined) throw missingParameter('prompt');
    if (/^[0-9]+$/.test(prompt.trim())) passcode = prompt;
    else
      throw invalidParameter(
        `the '${prompt}' option is not available: push and phone arrive with the Countersign Authenticator`,
      );
  } else if (factor !== 'passcode') {
    throw invalidParameter(`factor '${factor}' is not available yet: use factor=passcode`);
  }
  if (passcode === undefined || passcode === '') throw missingParameter('passcode');
  if (passcode.length > 64) throw invalidParameter('passcode');

  const tx = await authenticateWithPasscode(deps, { app, user, ip }, passcode);
  if (params.get('async') === '1' || params.get('async') === 'true') return { txid: tx.id };
  return describeStatus(tx);
};

/** GET /auth_status: the outcome of an async auth, held open while nothing has changed. */
export const authStatus: Handler = async (ctx, { app, params, signal }) => {
  const txid = params.get('txid');
  if (txid === undefined || txid === '') throw missingParameter('txid');
  let tx = await ctx.deps.store.transactions.get(txid);
  // Another integration's transaction is as unknown as a made-up one.
  if (!tx || tx.applicationId !== app.id) throw invalidParameter('txid');
  if (!isFinal(tx.state)) tx = await waitForChange(ctx.deps, txid, tx.version, ctx.pollHoldMs, signal);
  return describeStatus(tx);
};
