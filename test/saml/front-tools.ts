// What the SAML front tests read from our pages: the auto-submitted POST form carrying a Response or a logout message.
import assert from 'node:assert/strict';

/** The action and hidden fields of our POST-form page (values base64 or plain RelayState, escaped as numeric entities). */
export function postedFields(html: string): { action: string; fields: Record<string, string> } {
  const decode = (text: string) => text.replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)));
  const action = /<form id="saml-post" method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, `a POST form: ${html.slice(0, 400)}`);
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1]!] = decode(match[2]!);
  }
  return { action: decode(action), fields };
}
