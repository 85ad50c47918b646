// Server-rendered pages for when the prompt cannot start (a bad authorize request, a denied unknown user), and for
// SAML, OIDC and SSO messages: the design system's stylesheet and the same header as the React pages.
import type { FastifyReply } from 'fastify';
import {
  type Branding,
  brandingOf,
  escapeHtml,
  headLinks,
  pageTitle,
  renderSiteHeader,
} from '../web-common/branding.ts';

export interface MessagePage {
  title: string;
  paragraphs: string[];
  /** An optional way on: a link the user can follow (already safe to follow: same-origin or proven). */
  link?: { href: string; text: string };
}

/** A whole page around `body` (already HTML): no script, no inline style (CSP), the shared stylesheet. */
export function renderPage(branding: Branding, title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    ${headLinks()}
    <title>${escapeHtml(pageTitle(title, branding.organization))}</title>
  </head>
  <body>
    ${renderSiteHeader(branding)}
    <main class="page">
      ${body}
    </main>
  </body>
</html>
`;
}

/** The HTML of a calm, accessible message page. */
export function renderMessagePage(page: MessagePage, branding: Branding): string {
  const body = page.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n      ');
  const link = page.link
    ? `<p><a class="button-link" href="${escapeHtml(page.link.href)}">${escapeHtml(page.link.text)}</a></p>`
    : '';
  return renderPage(branding, page.title, `<h1>${escapeHtml(page.title)}</h1>\n      ${body}\n      ${link}`);
}

/** Sends a message page with `status`. */
export function sendMessagePage(reply: FastifyReply, status: number, page: MessagePage): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(renderMessagePage(page, brandingOf(reply.server)));
}
