// The Admin API's objects in Duo's shapes (users, phones, tokens, groups, bypass codes): schemas and builders.
import { type Static, Type } from '@sinclair/typebox';
import type { Authenticator, BypassCode, Group, User, UserStatus } from '../../core/model.ts';
import { methodForKind } from '../../methods/registry.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** Unix seconds, as Duo writes times in v1 objects. */
export const seconds = (ms: number): number => Math.floor(ms / 1000);

/** Duo's user statuses: ours with `locked out` spelled with a space. */
export const DUO_STATUSES = ['active', 'bypass', 'disabled', 'locked out'] as const;

/** Our status in Duo's spelling. */
export function duoStatus(status: UserStatus): (typeof DUO_STATUSES)[number] {
  return status === 'locked_out' ? 'locked out' : status;
}

/** How many aliases Duo's `alias1`…`aliasN` fields carry. */
export const ALIAS_FIELDS = 8;

export const GroupSchema = Type.Object({
  group_id: Type.String({ description: "The group's name (Countersign groups are named, not numbered)." }),
  name: Type.String(),
  desc: Type.String(),
  status: Type.Literal('active'),
});

export const UserSummarySchema = Type.Object({
  user_id: Type.String(),
  username: Type.String(),
  realname: Type.String(),
  email: Type.String(),
  status: Type.String(),
});

export const PhoneSchema = Type.Object({
  phone_id: Type.String(),
  number: Type.String({ description: 'E.164; empty for an Authenticator app.' }),
  extension: Type.String(),
  name: Type.String(),
  type: Type.String({ description: '`mobile` for an app, `unknown` otherwise.' }),
  platform: Type.String(),
  activated: Type.Boolean(),
  capabilities: Type.Array(Type.String()),
  sms_passcodes_sent: Type.Boolean(),
  last_seen: Type.String({ description: 'ISO 8601 time of its last use, or empty.' }),
  model: Type.String(),
  predelay: Type.Null(),
  postdelay: Type.Null(),
  users: Type.Array(UserSummarySchema),
});

export const TokenSchema = Type.Object({
  token_id: Type.String(),
  type: Type.String({ description: '`h6`/`h8` (HOTP) or `t6`/`t8` (TOTP), by digits.' }),
  serial: Type.String(),
  totp_step: Nullable(Type.Integer()),
  users: Type.Array(UserSummarySchema),
  admins: Type.Array(Type.String()),
});

export const WebauthnCredentialSchema = Type.Object({
  webauthnkey: Type.String(),
  credential_name: Type.String(),
  date_added: Type.Integer(),
  label: Type.String(),
});

export const UserSchema = Type.Object({
  user_id: Type.String(),
  username: Type.String(),
  realname: Type.String(),
  email: Type.String(),
  notes: Type.String(),
  status: Type.Union(DUO_STATUSES.map((status) => Type.Literal(status))),
  created: Type.Integer(),
  last_login: Nullable(Type.Integer()),
  is_enrolled: Type.Boolean(),
  aliases: Type.Record(Type.String(), Type.String()),
  ...Object.fromEntries(
    Array.from({ length: ALIAS_FIELDS }, (_, i) => [`alias${i + 1}`, Nullable(Type.String())]),
  ),
  groups: Type.Array(GroupSchema),
  phones: Type.Array(PhoneSchema),
  tokens: Type.Array(TokenSchema),
  webauthncredentials: Type.Array(WebauthnCredentialSchema),
  u2ftokens: Type.Array(Type.Never()),
  last_directory_sync: Type.Null(),
  lockout_reason: Nullable(Type.String()),
});

export const BypassCodeSchema = Type.Object({
  bypass_code_id: Type.String(),
  admin_email: Type.String({ description: 'Who issued it, as the audit log names them.' }),
  created: Type.Integer(),
  expiration: Nullable(Type.Integer()),
  reuse_count: Nullable(Type.Integer({ description: 'Uses left; null when unlimited until it expires.' })),
  user: UserSummarySchema,
});

export type DuoUser = Static<typeof UserSchema>;
export type DuoPhone = Static<typeof PhoneSchema>;
export type DuoToken = Static<typeof TokenSchema>;
export type DuoGroup = Static<typeof GroupSchema>;
export type DuoUserSummary = Static<typeof UserSummarySchema>;

/** Kinds that Duo calls phones: software authenticators other than security keys. */
export const PHONE_KINDS = ['push', 'totp', 'phone'] as const;

export function describeUserSummary(user: User): DuoUserSummary {
  return {
    user_id: user.id,
    username: user.username,
    realname: user.realName ?? '',
    email: user.email ?? '',
    status: duoStatus(user.status),
  };
}

export function describeGroup(group: Pick<Group, 'name'>): DuoGroup {
  return { group_id: group.name, name: group.name, desc: '', status: 'active' };
}

const PLATFORMS: Record<string, string> = { push: 'generic smartphone', totp: 'generic smartphone' };

/** A software authenticator as a Duo phone; `owner` fills `users` (empty when listed under its user). */
export function describePhone(device: Authenticator, owner: User | null): DuoPhone {
  const number = typeof device.data.number === 'string' ? device.data.number : '';
  return {
    phone_id: device.id,
    number,
    extension: '',
    name: device.name,
    type: device.kind === 'phone' ? 'unknown' : 'mobile',
    platform: PLATFORMS[device.kind] ?? 'unknown',
    activated: device.kind === 'push',
    capabilities: methodForKind(device.kind)?.capabilities(device) ?? [],
    sms_passcodes_sent: false,
    last_seen: device.lastUsedAt === null ? '' : new Date(device.lastUsedAt).toISOString(),
    model: 'Unknown',
    predelay: null,
    postdelay: null,
    users: owner ? [describeUserSummary(owner)] : [],
  };
}

/** Duo's token type for a hardware token: h6/h8 for HOTP, t6/t8 for TOTP. */
export function tokenType(token: Authenticator): string {
  return `${token.kind === 'hotp' ? 'h' : 't'}${token.digits}`;
}

export function describeToken(token: Authenticator, owner: User | null): DuoToken {
  return {
    token_id: token.id,
    type: tokenType(token),
    serial: token.serial ?? '',
    totp_step: token.kind === 'totp' ? token.period : null,
    users: owner ? [describeUserSummary(owner)] : [],
    admins: [],
  };
}

/** A user with their groups and devices (`devices`: every authenticator of theirs). */
export function describeUser(user: User, devices: readonly Authenticator[]): DuoUser {
  const aliasFields = Object.fromEntries(
    Array.from({ length: ALIAS_FIELDS }, (_, i) => [`alias${i + 1}`, user.aliases[i] ?? null]),
  );
  const phones = devices.filter(
    (d) => d.serial === null && (PHONE_KINDS as readonly string[]).includes(d.kind),
  );
  return {
    user_id: user.id,
    username: user.username,
    realname: user.realName ?? '',
    email: user.email ?? '',
    notes: user.notes ?? '',
    status: duoStatus(user.status),
    created: seconds(user.createdAt),
    last_login: user.lastLoginAt === null ? null : seconds(user.lastLoginAt),
    is_enrolled: devices.length > 0,
    aliases: Object.fromEntries(user.aliases.map((alias, i) => [`alias${i + 1}`, alias])),
    ...aliasFields,
    groups: user.groups.map((name) => describeGroup({ name })),
    phones: phones.map((phone) => describePhone(phone, null)),
    tokens: devices.filter((d) => d.serial !== null).map((token) => describeToken(token, null)),
    webauthncredentials: devices
      .filter((d) => d.kind === 'webauthn')
      .map((key) => ({
        webauthnkey: key.id,
        credential_name: key.name,
        date_added: seconds(key.createdAt),
        label: key.name,
      })),
    u2ftokens: [],
    last_directory_sync: null,
    lockout_reason: user.status === 'locked_out' ? 'Failed attempts' : null,
  } as DuoUser;
}

export function describeBypassCode(code: BypassCode, user: User) {
  return {
    bypass_code_id: code.id,
    admin_email: code.createdBy,
    created: seconds(code.createdAt),
    expiration: code.expiresAt === null ? null : seconds(code.expiresAt),
    reuse_count: code.remainingUses,
    user: describeUserSummary(user),
  };
}
