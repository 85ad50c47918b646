// Where the Response goes: an ACS of our SP record, never a URL only the request names (profiles §4.1.4.1).
import type { Element } from '@xmldom/xmldom';
import { attribute } from './dom-read.ts';
import { BINDING } from './names.ts';
import { refuse } from './refusal.ts';
import { type AcsEndpoint, defaultAcs, type SpRecord } from './sp-record.ts';

/**
 * The ACS for an AuthnRequest: the registered endpoint its AssertionConsumerServiceURL names exactly, or the one at
 * its AssertionConsumerServiceIndex, or the SP's default. An unregistered URL or index is refused, and so is a
 * ProtocolBinding other than HTTP-POST (the only binding our responses travel on).
 */
export function resolveAcs(request: Element, sp: SpRecord): AcsEndpoint {
  const url = attribute(request, 'AssertionConsumerServiceURL');
  const index = attribute(request, 'AssertionConsumerServiceIndex');
  const binding = attribute(request, 'ProtocolBinding');
  // Core §3.4.1: the index excludes the URL and the binding.
  if (index !== undefined && (url !== undefined || binding !== undefined)) {
    refuse(
      'malformed',
      'AssertionConsumerServiceIndex excludes AssertionConsumerServiceURL and ProtocolBinding',
    );
  }
  if (binding !== undefined && binding !== BINDING.post) {
    refuse('binding_not_supported', `responses are sent with HTTP-POST only, not ${binding}`);
  }
  if (url !== undefined) {
    return (
      sp.acs.find((acs) => acs.url === url) ??
      refuse('acs_not_registered', `'${url}' is not a registered ACS URL of '${sp.entityId}'`)
    );
  }
  if (index !== undefined) {
    return (
      sp.acs.find((acs) => String(acs.index) === index) ??
      refuse('acs_not_registered', `ACS index ${index} is not registered for '${sp.entityId}'`)
    );
  }
  return defaultAcs(sp);
}
