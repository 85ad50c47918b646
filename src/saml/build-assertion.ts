// Builds the Assertion of a login Response (SAML core §2.3.3, profiles §4.1.4.2) through the DOM.
import type { Element } from '@xmldom/xmldom';
import type { Random } from '../core/clock.ts';
import { authnContextFor } from './authn-context.ts';
import { append, SamlBuildError } from './dom-build.ts';
import type { IdpSettings } from './idp-settings.ts';
import { type NameId, nameIdFor } from './name-id.ts';
import { BEARER, NS } from './names.ts';
import { newSamlId } from './saml-id.ts';
import { formatInstant } from './saml-time.ts';
import type { SamlSignIn } from './sign-in.ts';
import type { AcsEndpoint, SpRecord } from './sp-record.ts';
import { sourceName, subjectValues } from './subject.ts';

/** What an assertion is about and for whom. */
export interface AssertionInput {
  idp: IdpSettings;
  sp: SpRecord;
  signIn: SamlSignIn;
  /** Where the Response goes: SubjectConfirmationData's Recipient. */
  acs: AcsEndpoint;
  /** The AuthnRequest's ID, or undefined for IdP-initiated SSO (profiles §4.1.4.2: then it must be absent). */
  inResponseTo: string | undefined;
  now: number;
  random: Random;
}

const saml = (name: string) => `saml:${name}`;

function appendAttributes(assertion: Element, { sp, signIn }: AssertionInput): void {
  const statement: Array<[AssertionInput['sp']['attributes'][number], readonly string[]]> = [];
  for (const rule of sp.attributes) {
    const values = subjectValues(signIn.subject, rule.source);
    if (values.length === 0 && rule.required) {
      throw new SamlBuildError(
        'missing_value',
        `attribute ${rule.name} comes from ${sourceName(rule.source)}, which is empty`,
      );
    }
    if (values.length > 0) statement.push([rule, values]);
  }
  if (statement.length === 0) return; // Core §2.7.3: an AttributeStatement holds at least one Attribute.
  const element = append(assertion, NS.assertion, saml('AttributeStatement'));
  for (const [rule, values] of statement) {
    const attribute = append(element, NS.assertion, saml('Attribute'), {
      Name: rule.name,
      NameFormat: rule.nameFormat,
      FriendlyName: rule.friendlyName,
    });
    for (const value of values) append(attribute, NS.assertion, saml('AttributeValue'), {}, value);
  }
}

/**
 * Appends a bearer assertion to `parent` (the Response) and returns its ID and the NameID it carries. The order of children is the
 * schema's: Issuer, (Signature, added when signing), Subject, Conditions, AuthnStatement, AttributeStatement.
 */
export function appendAssertion(parent: Element, input: AssertionInput): { id: string; nameId: NameId } {
  const { idp, sp, signIn, acs, now } = input;
  const id = newSamlId(input.random);
  const notOnOrAfter = formatInstant(now + idp.assertionLifetimeMs);
  const assertion = append(parent, NS.assertion, saml('Assertion'), {
    ID: id,
    Version: '2.0',
    IssueInstant: formatInstant(now),
  });
  append(assertion, NS.assertion, saml('Issuer'), {}, idp.entityId);

  const nameId = nameIdFor(sp, signIn.subject);
  const subject = append(assertion, NS.assertion, saml('Subject'));
  append(subject, NS.assertion, saml('NameID'), { Format: nameId.format }, nameId.value);
  const confirmation = append(subject, NS.assertion, saml('SubjectConfirmation'), { Method: BEARER });
  append(confirmation, NS.assertion, saml('SubjectConfirmationData'), {
    NotOnOrAfter: notOnOrAfter,
    Recipient: acs.url,
    InResponseTo: input.inResponseTo,
  });

  // Backdated by the skew, so an SP whose clock runs a little behind ours accepts it at once.
  const conditions = append(assertion, NS.assertion, saml('Conditions'), {
    NotBefore: formatInstant(now - idp.clockSkewMs),
    NotOnOrAfter: notOnOrAfter,
  });
  const restriction = append(conditions, NS.assertion, saml('AudienceRestriction'));
  append(restriction, NS.assertion, saml('Audience'), {}, sp.audience);

  const authn = append(assertion, NS.assertion, saml('AuthnStatement'), {
    AuthnInstant: formatInstant(signIn.authnInstant),
    SessionIndex: signIn.sessionIndex,
    SessionNotOnOrAfter:
      signIn.sessionNotOnOrAfter === undefined ? undefined : formatInstant(signIn.sessionNotOnOrAfter),
  });
  const context = append(authn, NS.assertion, saml('AuthnContext'));
  append(context, NS.assertion, saml('AuthnContextClassRef'), {}, authnContextFor(sp, signIn));

  appendAttributes(assertion, input);
  return { id, nameId };
}
