// The RADIUS authentication handler: runs the client's mode through the core, applies failmode, audits, replies.
import { isIP } from 'node:net';
import { audit } from '../../core/audit.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { ERRORS, isCountersignError } from '../../core/errors.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { AttributeType, getBytes, getIpv4, getString, replyMessageAttributes } from './attributes.ts';
import type { LiveRadiusClient } from './client-watcher.ts';
import { continueChallenge } from './modes/continue-challenge.ts';
import { runMode } from './modes/modes.ts';
import { GENERIC_REJECT, type Outcome, type RequestContext, rejected } from './modes/outcome.ts';
import type { RadiusHandler, RadiusLogger, RadiusRequest, RadiusResponse } from './pipeline.ts';
import { replyAttributesFor } from './reply-attributes.ts';

/** Reply-Message when too many logins were started for the user or from the address. */
const RATE_LIMITED_MESSAGE = ERRORS.RATE_LIMITED.message;

export const FAILMODE_SAFE_MESSAGE = 'Second factor skipped: the authentication service is unavailable.';

/** The user's address as the NAS reports it (Calling-Station-Id), when it is an IP address. */
export function callingStationIp(request: RadiusRequest): string | null {
  const value = getString(request.attributes, AttributeType.CallingStationId)?.trim() ?? '';
  return isIP(value) !== 0 ? value : null;
}

/** Who asked: the client entry, the datagram's source and what the NAS says about itself. */
function describeNas(request: RadiusRequest<LiveRadiusClient>) {
  return {
    client: request.client.name,
    address: request.source.address,
    nasIpAddress: getIpv4(request.attributes, AttributeType.NasIpAddress),
    nasIdentifier: getString(request.attributes, AttributeType.NasIdentifier),
  };
}

/** Builds the handler for createRadiusServer. */
export function createAccessRequestHandler(
  deps: CoreDeps,
  logger: RadiusLogger,
): RadiusHandler<LiveRadiusClient> {
  return async (request) => {
    const { client } = request;
    const nas = describeNas(request);
    // Bytes that are not UTF-8 decode to U+FFFD, which the canonical form refuses.
    const username = getString(request.attributes, AttributeType.UserName) ?? '';
    const ip = callingStationIp(request);
    let outcome: Outcome;
    try {
      outcome = await decide(deps, request, username, ip, logger);
    } catch (error) {
      // Too many logins started: a reject with no push and no audit row of its own (the core summarises
      // refusals once a minute, so a flood cannot flood the audit log).
      if (isCountersignError(error, 'RATE_LIMITED')) {
        return { code: 'reject', attributes: replyMessageAttributes(RATE_LIMITED_MESSAGE) };
      }
      // The store reports a lost database as STORE_UNAVAILABLE (src/store/guard-unavailable.ts).
      if (!isCountersignError(error, 'STORE_UNAVAILABLE')) throw error;
      logger.error(
        { err: error, nas, username, failmode: client.failmode },
        client.failmode === 'safe'
          ? 'RADIUS: store unavailable, failmode safe: ACCEPTING without a second factor'
          : 'RADIUS: store unavailable, failmode secure: rejecting',
      );
      // The store is down: nothing can be audited, the log line above is the record.
      return client.failmode === 'safe'
        ? { code: 'accept', attributes: replyMessageAttributes(FAILMODE_SAFE_MESSAGE) }
        : { code: 'reject', attributes: replyMessageAttributes(GENERIC_REJECT) };
    }
    await record(deps, request, outcome, { username, ip, nas }).catch((error: unknown) =>
      logger.error({ err: error, nas, username }, 'RADIUS request could not be audited'),
    );
    return respond(outcome, client);
  };
}

async function decide(
  deps: CoreDeps,
  request: RadiusRequest<LiveRadiusClient>,
  username: string,
  ip: string | null,
  logger: RadiusLogger,
): Promise<Outcome> {
  const { client } = request;
  // docs/usernames.md: a refused name is rejected and says why; it is never an unknown user (no push either).
  const checked = canonicalUsername(username);
  if (!checked.ok) {
    if (checked.problem === 'empty') return rejected(null, 'missing_username');
    return rejected(null, 'invalid_username', { message: `The username is not valid: ${checked.reason}.` });
  }
  // PAP only: CHAP and EAP cannot carry a passcode or be checked against a directory.
  if (request.password === null) return rejected(null, 'no_user_password');
  if (!client.app) {
    logger.error(
      { client: client.name, applicationId: client.applicationId },
      'RADIUS client has no application',
    );
    return rejected(null, 'application_missing');
  }
  const ctx: RequestContext = { deps, client, app: client.app, username: checked.name, ip };
  const password = request.password.toString('utf8');
  const state = getBytes(request.attributes, AttributeType.State);
  return state ? continueChallenge(ctx, state, password) : runMode(ctx, password);
}

function respond(outcome: Outcome, client: LiveRadiusClient): RadiusResponse {
  switch (outcome.kind) {
    case 'accept':
      return {
        code: 'accept',
        attributes: replyAttributesFor(client.replyAttributes, outcome.user?.groups ?? []),
      };
    case 'reject':
      return { code: 'reject', attributes: replyMessageAttributes(outcome.message) };
    case 'challenge':
      return {
        code: 'challenge',
        attributes: [
          { type: AttributeType.State, value: outcome.state },
          ...replyMessageAttributes(outcome.message),
        ],
      };
  }
}

/** One audit entry per RADIUS request, beside the core's own (password checks, transactions). */
async function record(
  deps: CoreDeps,
  request: RadiusRequest<LiveRadiusClient>,
  outcome: Outcome,
  context: { username: string; ip: string | null; nas: ReturnType<typeof describeNas> },
): Promise<void> {
  await audit(deps.store, deps.clock.now(), {
    kind: 'auth',
    action: 'radius.access',
    userId: outcome.user?.id ?? null,
    username: outcome.user?.username ?? (context.username || null),
    applicationId: request.client.applicationId,
    factor: outcome.kind === 'challenge' ? null : outcome.factor,
    result: outcome.kind,
    reason: outcome.reason,
    ip: context.ip,
    detail: { nas: context.nas, mode: request.client.mode, txid: outcome.txid },
  });
}
