// Service providers with a fixed shape: Microsoft Entra ID (Office 365) federation and a hand-typed Workday tenant.
import { AUTHN_CONTEXT } from './names.ts';
import { defineSp, type SpInput, type SpRecord, type SubjectSource } from './sp-record.ts';

/** Entra ID's entity ID for SAML-P domain federation: the Audience it expects. */
export const ENTRA_ENTITY_ID = 'urn:federation:MicrosoftOnline';
/** Where Entra ID receives responses. */
export const ENTRA_ACS_URL = 'https://login.microsoftonline.com/login.srf';

/**
 * Entra ID / Office 365 as a SAML-P SP: persistent NameID = the user's ImmutableID (onPremisesImmutableId),
 * `IDPEmail` = the UPN, and `multipleauthn` when a second factor was used, so Entra accepts our MFA instead of
 * asking again (federatedIdpMfaBehavior). By default the ImmutableID is the directory attribute `immutableId`
 * and the UPN is the username; `overrides` change either, or add SLO and certificates.
 */
export function entraIdSp(
  options: { immutableId?: SubjectSource; upn?: SubjectSource; overrides?: Partial<SpInput> } = {},
): SpRecord {
  return defineSp({
    name: 'Microsoft Entra ID',
    entityId: ENTRA_ENTITY_ID,
    acs: [ENTRA_ACS_URL],
    nameId: { format: 'persistent', source: options.immutableId ?? { attribute: 'immutableId' } },
    attributes: [{ name: 'IDPEmail', source: options.upn ?? 'username', required: true }],
    authnContext: {
      default: AUTHN_CONTEXT.passwordProtectedTransport,
      secondFactor: AUTHN_CONTEXT.microsoftMultipleAuthn,
    },
    ...options.overrides,
  });
}

/**
 * A Workday tenant typed in by hand (Workday publishes no metadata to import): its entity ID and ACS URL, POST
 * only, NameID = the username as Workday knows it (unspecified format). A certificate, when Workday is set to
 * sign its requests, is optional.
 */
export function workdaySp(input: {
  entityId: string;
  acsUrl: string;
  certificates?: readonly string[];
}): SpRecord {
  return defineSp({
    name: 'Workday',
    entityId: input.entityId,
    acs: [input.acsUrl],
    certificates: input.certificates ?? [],
    nameId: { format: 'unspecified', source: 'username' },
  });
}
