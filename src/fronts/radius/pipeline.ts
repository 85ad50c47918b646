// The per-datagram pipeline: filter, authenticate and de-duplicate a request, run the handler, build the reply.

import type { RadiusClient } from '../../core/admin/radius-client-table.ts';
import { AttributeType, replyMessageAttributes } from './attributes.ts';
import { verifyMessageAuthenticator } from './authenticators.ts';
import type { DropReason, DropRecorder } from './drop-summary.ts';
import { type Attribute, type DecodedPacket, decodePacket, PacketCode } from './packet.ts';
import { unhidePassword } from './password.ts';
import { buildReply, type ReplyCode } from './reply.ts';
import { type RetransmitCache, retransmitKey } from './retransmit-cache.ts';

/** Where a datagram came from. */
export interface RadiusSource {
  address: string;
  port: number;
}

/** What a handler is given: an authenticated, de-duplicated Access-Request. */
export interface RadiusRequest<C extends RadiusClient = RadiusClient> {
  client: C;
  packet: DecodedPacket;
  /** The unhidden User-Password (RFC 2865 §5.2) or null when the request has none. */
  password: Buffer | null;
  attributes: Attribute[];
  source: RadiusSource;
}

/** What a handler answers; Message-Authenticator and Proxy-State are added by the reply builder. */
export interface RadiusResponse {
  code: ReplyCode;
  attributes: Attribute[];
}

export type RadiusHandler<C extends RadiusClient = RadiusClient> = (
  request: RadiusRequest<C>,
) => Promise<RadiusResponse> | RadiusResponse;

/** A pino-compatible logger, narrowed to what we use. */
export interface RadiusLogger {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Counters for every outcome, so operators can see dropped traffic (it gets no reply by design). */
export interface RadiusStats {
  received: number;
  unknownClient: number;
  malformed: number;
  unsupportedCode: number;
  badMessageAuthenticator: number;
  missingMessageAuthenticator: number;
  duplicateInFlight: number;
  replyTooLarge: number;
  resentCached: number;
  handlerErrors: number;
  accept: number;
  reject: number;
  challenge: number;
  /** Status-Server requests answered (RFC 5997). */
  statusServer: number;
}

/** Returns a zeroed stats record. */
export function emptyStats(): RadiusStats {
  return {
    received: 0,
    unknownClient: 0,
    malformed: 0,
    unsupportedCode: 0,
    badMessageAuthenticator: 0,
    missingMessageAuthenticator: 0,
    duplicateInFlight: 0,
    replyTooLarge: 0,
    resentCached: 0,
    handlerErrors: 0,
    accept: 0,
    reject: 0,
    challenge: 0,
    statusServer: 0,
  };
}

export interface PipelineDeps<C extends RadiusClient> {
  clients: (ip: string) => C | null;
  handler: RadiusHandler<C>;
  cache: RetransmitCache;
  stats: RadiusStats;
  logger: RadiusLogger;
  /** Counts every drop and summarises them in the log (drop-summary.ts). */
  drops: DropRecorder;
}

const GENERIC_FAILURE = 'Authentication failed.';

/** Processes one datagram; resolves to the reply bytes to send, or null to stay silent. Never rejects. */
export async function processDatagram<C extends RadiusClient>(
  deps: PipelineDeps<C>,
  datagram: Buffer,
  source: RadiusSource,
): Promise<Buffer | null> {
  const { stats } = deps;
  stats.received++;
  const client = deps.clients(source.address);
  if (!client) return drop(deps, 'unknown_client', null, source, 'source address is not a configured client');
  const decoded = decodePacket(datagram);
  if (!decoded.ok) return drop(deps, 'malformed', client, source, decoded.reason);
  const packet = decoded.packet;
  if (packet.code === PacketCode.StatusServer) return statusServer(deps, client, packet, source);
  if (packet.code !== PacketCode.AccessRequest) {
    return drop(deps, 'unsupported_code', client, source, `packet code ${packet.code} is not Access-Request`);
  }
  const problem = messageAuthenticatorProblem(packet, client);
  if (problem) return drop(deps, problem.drop, client, source, problem.detail);
  const hiddenPasswords = packet.attributes.filter(
    (attribute) => attribute.type === AttributeType.UserPassword,
  );
  let password: Buffer | null = null;
  if (hiddenPasswords.length > 1)
    return drop(deps, 'malformed', client, source, 'more than one User-Password');
  if (hiddenPasswords[0]) {
    const unhidden = unhidePassword(hiddenPasswords[0].value, client.secret, packet.authenticator);
    if (!unhidden.ok) return drop(deps, 'malformed', client, source, unhidden.reason);
    password = unhidden.password;
  }

  const key = retransmitKey(source.address, source.port, packet.identifier, packet.authenticator);
  const cached = deps.cache.begin(key);
  if (cached.state === 'in-flight') {
    return drop(deps, 'duplicate_in_flight', client, source, 'retransmission while the first is answered');
  }
  if (cached.state === 'done') {
    stats.resentCached++;
    return cached.reply;
  }

  const reply = await answer(deps, { client, packet, password, attributes: packet.attributes, source });
  if (reply) deps.cache.complete(key, reply);
  else deps.cache.abandon(key);
  return reply;
}

/**
 * RFC 5997: a NAS or proxy asks whether this server is alive. A Status-Server must carry a valid
 * Message-Authenticator whatever the client's setting (§3), and gets a signed Access-Accept. It is no login: no
 * password, no handler, no retransmit cache (the answer is the same each time and costs less than a lookup).
 */
function statusServer<C extends RadiusClient>(
  deps: PipelineDeps<C>,
  client: C,
  packet: DecodedPacket,
  source: RadiusSource,
): Buffer | null {
  if (!packet.attributes.some((attribute) => attribute.type === AttributeType.MessageAuthenticator)) {
    return drop(
      deps,
      'missing_message_authenticator',
      client,
      source,
      'Status-Server without Message-Authenticator',
    );
  }
  if (!verifyMessageAuthenticator(packet.raw, client.secret)) {
    return drop(deps, 'bad_message_authenticator', client, source, 'invalid Message-Authenticator');
  }
  deps.stats.statusServer++;
  return buildReply(packet, 'accept', [], client.secret);
}

/** Runs the handler and signs its answer; a failure becomes a generic reject, or null if even that can't fit. */
async function answer<C extends RadiusClient>(
  deps: PipelineDeps<C>,
  request: RadiusRequest<C>,
): Promise<Buffer | null> {
  const context = {
    client: request.client.name,
    source: request.source,
    identifier: request.packet.identifier,
  };
  try {
    const response = await deps.handler(request);
    const reply = buildReply(request.packet, response.code, response.attributes, request.client.secret);
    deps.stats[response.code]++;
    return reply;
  } catch (error) {
    deps.stats.handlerErrors++;
    deps.logger.error({ ...context, err: error }, 'RADIUS handler failed; answering Access-Reject');
  }
  try {
    const reply = buildReply(
      request.packet,
      'reject',
      replyMessageAttributes(GENERIC_FAILURE),
      request.client.secret,
    );
    deps.stats.reject++;
    return reply;
  } catch (error) {
    // Only possible when the request's Proxy-State attributes alone nearly fill a packet.
    const detail = `the reject does not fit in a packet: ${error instanceof Error ? error.message : error}`;
    return drop(deps, 'reply_too_large', request.client, request.source, detail);
  }
}

/** Step 4: the BlastRADIUS (CVE-2024-3596) and RFC 3579 rules; null when the request may go on. */
function messageAuthenticatorProblem(
  packet: DecodedPacket,
  client: RadiusClient,
): { drop: DropReason; detail: string } | null {
  const has = (type: number) => packet.attributes.some((attribute) => attribute.type === type);
  if (has(AttributeType.MessageAuthenticator)) {
    return verifyMessageAuthenticator(packet.raw, client.secret)
      ? null
      : { drop: 'bad_message_authenticator', detail: 'invalid Message-Authenticator' };
  }
  const missing = (detail: string) => ({ drop: 'missing_message_authenticator' as const, detail });
  if (client.requireMessageAuthenticator !== false) return missing('client requires Message-Authenticator');
  // Proxy-State is the attacker's vehicle for the chosen-prefix MD5 collision in BlastRADIUS.
  if (has(AttributeType.ProxyState)) return missing('Proxy-State without Message-Authenticator');
  // RFC 3579 §3.2: an Access-Request with EAP-Message and no Message-Authenticator MUST be discarded.
  if (has(AttributeType.EapMessage)) return missing('EAP-Message without Message-Authenticator');
  return null;
}

/** The stats field each drop reason counts in. */
const DROP_STATS: Record<DropReason, keyof RadiusStats> = {
  unknown_client: 'unknownClient',
  malformed: 'malformed',
  unsupported_code: 'unsupportedCode',
  bad_message_authenticator: 'badMessageAuthenticator',
  missing_message_authenticator: 'missingMessageAuthenticator',
  duplicate_in_flight: 'duplicateInFlight',
  reply_too_large: 'replyTooLarge',
};

/** Counts a drop (stats, metric, summarised log line); `client` is null for an unknown source. */
function drop<C extends RadiusClient>(
  deps: PipelineDeps<C>,
  reason: DropReason,
  client: C | null,
  source: RadiusSource,
  detail: string,
): null {
  deps.stats[DROP_STATS[reason]]++;
  deps.drops.record(client?.name ?? null, reason, source, detail);
  return null;
}
