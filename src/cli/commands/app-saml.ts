// The SAML options of `countersign app add`: an SP from its metadata file, or typed by hand (Workday), or a preset
// (Entra ID / Office 365), with its NameID format and attribute mapping; and what to type on the SP's side.
import { readFile } from 'node:fs/promises';
import { type Config, publicUrl, samlKeyFiles } from '../../config.ts';
import {
  type AttributeRule,
  defineSp,
  entraIdSp,
  importSpMetadata,
  type SpInput,
  type SpRecord,
  type SubjectSource,
  workdaySp,
} from '../../saml/index.ts';
import type { NameIdFormatName } from '../../saml/names.ts';
import { type Invocation, UsageError } from '../command.ts';

export const SAML_OPTIONS = [
  'metadata',
  'entity-id',
  'acs',
  'preset',
  'nameid',
  'attribute',
  'immutable-id',
] as const;

/** `--nameid` words and the NameID formats they stand for. */
const NAME_ID_WORDS: Readonly<Record<string, NameIdFormatName>> = {
  email: 'emailAddress',
  persistent: 'persistent',
  unspecified: 'unspecified',
};

/** The user fields an attribute or NameID can come from. */
const USER_FIELDS = ['userId', 'username', 'email', 'realName', 'groups'] as const;

function userField(value: string, option: string): SubjectSource {
  if (!(USER_FIELDS as readonly string[]).includes(value)) {
    throw new UsageError(`--${option}: '${value}' is not a user field (${USER_FIELDS.join(', ')})`);
  }
  return value as SubjectSource;
}

function list(values: Invocation['values'], name: string): string[] {
  const value = values[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

/** `--attribute NAME=userField`, repeatable. */
function attributes(values: Invocation['values']): AttributeRule[] {
  return list(values, 'attribute').map((pair) => {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--attribute must be NAME=userField, got '${pair}'`);
    return { name: pair.slice(0, eq), source: userField(pair.slice(eq + 1), 'attribute') };
  });
}

/** True when any SAML option was given. */
export function samlOptionsGiven(values: Invocation['values']): boolean {
  return SAML_OPTIONS.some((name) => values[name] !== undefined);
}

/** The SP record the options describe; UsageError for a missing or contradictory option (exit 2). */
export async function spFromOptions(values: Invocation['values'], name: string): Promise<SpRecord> {
  const word = values.nameid;
  if (word !== undefined && (typeof word !== 'string' || !(word in NAME_ID_WORDS))) {
    throw new UsageError(`--nameid must be one of ${Object.keys(NAME_ID_WORDS).join(', ')}`);
  }
  const format = typeof word === 'string' ? NAME_ID_WORDS[word] : undefined;
  const mapped = attributes(values);
  const overrides: Partial<SpInput> = {
    name,
    ...(format && { nameId: { format } }),
    ...(mapped.length > 0 && { attributes: mapped }),
  };
  const metadata = values.metadata;
  const entityId = values['entity-id'];
  const acs = list(values, 'acs');
  const preset = values.preset;
  if (preset !== undefined && preset !== 'entra' && preset !== 'workday') {
    throw new UsageError('--preset must be entra or workday');
  }
  if (preset === 'entra') {
    if (metadata !== undefined || entityId !== undefined || acs.length > 0) {
      throw new UsageError(
        '--preset entra takes no --metadata, --entity-id or --acs (Entra ID has fixed ones)',
      );
    }
    if (format !== undefined)
      throw new UsageError('--preset entra sends a persistent NameID: leave out --nameid');
    const immutable = values['immutable-id'];
    // Users carry no directory attributes here, so the ImmutableID is a user field: the user id unless told.
    const sp = entraIdSp({
      immutableId: typeof immutable === 'string' ? userField(immutable, 'immutable-id') : 'userId',
      overrides: { name },
    });
    // Extra attributes go after IDPEmail, which Entra requires.
    return mapped.length > 0 ? defineSp({ ...sp, attributes: [...sp.attributes, ...mapped] }) : sp;
  }
  if (values['immutable-id'] !== undefined) throw new UsageError('--immutable-id needs --preset entra');
  if (typeof metadata === 'string') {
    if (entityId !== undefined || acs.length > 0) {
      throw new UsageError('--metadata says the entity ID and ACS: leave out --entity-id and --acs');
    }
    if (preset !== undefined)
      throw new UsageError('--preset workday is for SPs typed by hand, without --metadata');
    const xml = await readFile(metadata, 'utf8').catch(() => {
      throw new UsageError(`--metadata: cannot read '${metadata}'`);
    });
    return importSpMetadata(xml, overrides);
  }
  if (typeof entityId !== 'string' || acs.length === 0) {
    throw new UsageError(
      'a SAML SP needs --metadata FILE, or --entity-id ID with --acs URL, or --preset entra',
    );
  }
  if (preset === 'workday') {
    const base = workdaySp({ entityId, acsUrl: acs[0]! });
    return defineSp({ ...base, acs, ...overrides });
  }
  return defineSp({ entityId, acs, ...overrides });
}

/** What the administrator types on the SP's side. */
export function idpValues(config: Readonly<Config>) {
  const base = `${publicUrl(config)}/saml`;
  return {
    entityId: config.saml.entity_id ?? `${base}/metadata`,
    metadataUrl: `${base}/metadata`,
    ssoUrl: `${base}/sso`,
    sloUrl: `${base}/slo`,
    certificateFile: samlKeyFiles(config).certFile,
  };
}
