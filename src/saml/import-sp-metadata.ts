// SP metadata import (SAML metadata §2.4.4): entity ID, POST ACS endpoints, SLO, signing certificates, NameID format.
import type { Element } from '@xmldom/xmldom';
import { fail } from '../core/errors.ts';
import { pemFromBody } from './certificates.ts';
import { attribute, booleanAttribute, childrenNamed, textOf } from './dom-read.ts';
import { BINDING, NAME_ID_FORMAT, type NameIdFormatName, NS } from './names.ts';
import { parseXml } from './parse-xml.ts';
import { SamlRefusal } from './refusal.ts';
import { type AcsEndpoint, defineSp, type SloEndpoint, type SpInput, type SpRecord } from './sp-record.ts';

/** Metadata files are larger than messages; a single entity's stays well under this. */
const MAX_METADATA_CHARS = 1024 * 1024;

function entityOf(root: Element): Element {
  if (root.namespaceURI === NS.metadata && root.localName === 'EntityDescriptor') return root;
  if (root.namespaceURI === NS.metadata && root.localName === 'EntitiesDescriptor') {
    const sps = childrenNamed(root, NS.metadata, 'EntityDescriptor').filter(
      (entity) => childrenNamed(entity, NS.metadata, 'SPSSODescriptor').length > 0,
    );
    if (sps.length === 1) return sps[0]!;
    fail('IMPORT_FAILED', `the metadata describes ${sps.length} service providers; import a file with one`);
  }
  return fail('IMPORT_FAILED', 'the file is not SAML metadata (no md:EntityDescriptor)');
}

function signingCertificates(sp: Element): string[] {
  const certificates: string[] = [];
  for (const key of childrenNamed(sp, NS.metadata, 'KeyDescriptor')) {
    // §2.4.1.1: no `use` means the key serves both purposes.
    if ((attribute(key, 'use') ?? 'signing') !== 'signing') continue;
    for (const info of childrenNamed(key, NS.dsig, 'KeyInfo')) {
      for (const data of childrenNamed(info, NS.dsig, 'X509Data')) {
        for (const cert of childrenNamed(data, NS.dsig, 'X509Certificate')) {
          try {
            certificates.push(pemFromBody(textOf(cert)));
          } catch {
            fail('IMPORT_FAILED', 'a signing certificate in the metadata does not parse');
          }
        }
      }
    }
  }
  return certificates;
}

function postAcs(sp: Element): AcsEndpoint[] {
  const endpoints: AcsEndpoint[] = [];
  const all = childrenNamed(sp, NS.metadata, 'AssertionConsumerService');
  all.forEach((service, position) => {
    if (attribute(service, 'Binding') !== BINDING.post) return;
    const index = Number(attribute(service, 'index') ?? position);
    if (!Number.isInteger(index) || index < 0) {
      fail('IMPORT_FAILED', 'an ACS index is not an unsigned integer');
    }
    endpoints.push({
      url: attribute(service, 'Location') ?? fail('IMPORT_FAILED', 'an ACS has no Location'),
      index,
      isDefault: booleanAttribute(service, 'isDefault') ?? false,
    });
  });
  if (endpoints.length === 0) fail('IMPORT_FAILED', 'the metadata has no HTTP-POST AssertionConsumerService');
  return endpoints;
}

function sloEndpoints(sp: Element): SloEndpoint[] {
  const endpoints: SloEndpoint[] = [];
  for (const service of childrenNamed(sp, NS.metadata, 'SingleLogoutService')) {
    const binding = attribute(service, 'Binding');
    const name = binding === BINDING.redirect ? 'redirect' : binding === BINDING.post ? 'post' : undefined;
    if (name === undefined) continue;
    const url =
      attribute(service, 'Location') ?? fail('IMPORT_FAILED', 'a SingleLogoutService has no Location');
    endpoints.push({ binding: name, url, responseUrl: attribute(service, 'ResponseLocation') ?? url });
  }
  return endpoints;
}

/** The first NameIDFormat the SP lists that we can issue; unspecified when it lists none of ours. */
function nameIdFormat(sp: Element): NameIdFormatName {
  for (const element of childrenNamed(sp, NS.metadata, 'NameIDFormat')) {
    const uri = textOf(element);
    const known = (Object.keys(NAME_ID_FORMAT) as NameIdFormatName[]).find(
      (name) => NAME_ID_FORMAT[name] === uri,
    );
    if (known !== undefined) return known;
  }
  return 'unspecified';
}

/**
 * Reads an SP's metadata into a record; `overrides` add what metadata does not say (attribute mapping, NameID
 * source, AuthnContext, a display name). Throws IMPORT_FAILED with the reason; the record is checked by defineSp.
 * Encryption keys are ignored: we do not encrypt assertions (TLS carries them).
 */
export function importSpMetadata(
  xml: string,
  overrides: Partial<Omit<SpInput, 'entityId' | 'acs'>> = {},
): SpRecord {
  let root: Element;
  try {
    root = parseXml(xml, MAX_METADATA_CHARS).documentElement!;
  } catch (error) {
    if (error instanceof SamlRefusal) fail('IMPORT_FAILED', `the metadata was refused: ${error.message}`);
    throw error;
  }
  try {
    const entity = entityOf(root);
    const entityId =
      attribute(entity, 'entityID') ?? fail('IMPORT_FAILED', 'the EntityDescriptor has no entityID');
    const descriptors = childrenNamed(entity, NS.metadata, 'SPSSODescriptor');
    if (descriptors.length !== 1) fail('IMPORT_FAILED', 'the entity must have exactly one SPSSODescriptor');
    const sp = descriptors[0]!;
    if (!(attribute(sp, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol)) {
      fail('IMPORT_FAILED', 'the SPSSODescriptor does not support SAML 2.0');
    }
    return defineSp({
      ...overrides,
      entityId,
      acs: postAcs(sp),
      slo: overrides.slo ?? sloEndpoints(sp),
      certificates: overrides.certificates ?? signingCertificates(sp),
      nameId: { format: nameIdFormat(sp), ...overrides.nameId },
      wantAuthnRequestsSigned:
        overrides.wantAuthnRequestsSigned ?? booleanAttribute(sp, 'AuthnRequestsSigned') ?? false,
    });
  } catch (error) {
    if (error instanceof SamlRefusal) fail('IMPORT_FAILED', `the metadata is malformed: ${error.detail}`);
    throw error;
  }
}
