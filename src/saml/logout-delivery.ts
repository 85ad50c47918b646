// How an outbound request or response reaches an SP: a signed Redirect URL, or a signed XML in an auto-posted form.
import { encodePost, encodeRedirect, type MessageParameter } from './bindings.ts';
import type { IdpSettings } from './idp-settings.ts';
import { type BindingName, NS } from './names.ts';
import { type PathStep, signEnveloped } from './sign-enveloped.ts';
import type { SloEndpoint, SpRecord } from './sp-record.ts';

/** What the front sends the browser: a redirect to `url`, or a form posting `field=value` (and RelayState) to `url`. */
export type OutboundMessage =
  | { binding: 'redirect'; url: string }
  | { binding: 'post'; url: string; field: MessageParameter; value: string; relayState: string | undefined };

/** The SP's SingleLogoutService, on `preferred` when it has one there; null when it has none (no SLO for it). */
export function sloEndpoint(sp: SpRecord, preferred?: BindingName): SloEndpoint | null {
  return sp.slo.find((e) => e.binding === preferred) ?? sp.slo[0] ?? null;
}

/**
 * Signs `xml` (root `rootName` in the protocol namespace) for `binding` and packs it: a query signature on the
 * Redirect binding, an enveloped signature after the Issuer on POST.
 */
export function deliver(
  idp: IdpSettings,
  binding: BindingName,
  url: string,
  field: MessageParameter,
  rootName: string,
  xml: string,
  relayState: string | undefined,
): OutboundMessage {
  if (binding === 'redirect') {
    return { binding, url: encodeRedirect(url, field, xml, relayState, idp.credential) };
  }
  const root: PathStep = [NS.protocol, rootName];
  const signed = signEnveloped(xml, [root], [NS.assertion, 'Issuer'], idp.credential);
  return { binding, url, field, value: encodePost(signed), relayState };
}
