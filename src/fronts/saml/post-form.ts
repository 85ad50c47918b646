// The page that carries a SAML message to a service provider on the HTTP-POST binding: a form submitted by a
// script allowed by a one-time CSP nonce, with a button for browsers without script, in plain words.
import type { FastifyReply } from 'fastify';
import { renderPage } from '../prompt/message-page.ts';
import { type Branding, brandingOf, escapeHtml } from '../web-common/branding.ts';

export interface PostForm {
  /** Where the form goes (an ACS or SLO URL from our SP record, never from the request). */
  url: string;
  fields: Record<string, string | undefined>;
  /** The application's name, for the words on the page. */
  application: string;
  /** What is happening, e.g. "Signing you in to" / "Signing you out of". */
  doing: string;
}

/** The Content-Security-Policy of this page: only its own script, its form may go only to `url`'s origin. */
function pagePolicy(url: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self'",
    `form-action ${new URL(url).origin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The HTML of the page. */
export function renderPostForm(form: PostForm, nonce: string, branding: Branding): string {
  const inputs = Object.entries(form.fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n        ');
  const app = escapeHtml(form.application);
  const page = renderPage(
    branding,
    `${form.doing} ${form.application}`,
    `<h1>${escapeHtml(form.doing)} ${app}</h1>
      <p>Your browser is taking you back to ${app}. If nothing happens, press Continue.</p>
      <form id="saml-post" method="post" action="${escapeHtml(form.url)}">
        ${inputs}
        <div class="actions">
          <button type="submit" class="primary">Continue</button>
        </div>
      </form>`,
  );
  return page.replace(
    '</body>',
    `  <script nonce="${nonce}">document.getElementById('saml-post').submit();</script>\n  </body>`,
  );
}

/** Sends the page with its own CSP (set after the plugin's security headers, which it replaces). */
export function sendPostForm(reply: FastifyReply, form: PostForm, nonce: string): FastifyReply {
  PAGE_POLICY.set(reply, pagePolicy(form.url, nonce));
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .send(renderPostForm(form, nonce, brandingOf(reply.server)));
}

const PAGE_POLICY = new WeakMap<FastifyReply, string>();

/** An onSend hook, registered after addSecurityHeaders: a POST-form page gets its own policy. */
export async function applyPagePolicy(_request: unknown, reply: FastifyReply, payload: unknown) {
  const policy = PAGE_POLICY.get(reply);
  if (policy !== undefined) reply.header('content-security-policy', policy);
  return payload;
}
