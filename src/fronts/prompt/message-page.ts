// Server-rendered pages for when the prompt cannot start (a bad authorize request, a denied unknown user); their
// stylesheet also dresses the single sign-on sign-in page (fronts/sso/sign-in-page.ts).
import type { FastifyReply } from 'fastify';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface MessagePage {
  title: string;
  paragraphs: string[];
  /** An optional way on: a link the user can follow (already safe to follow: same-origin or proven). */
  link?: { href: string; text: string };
}

/** The HTML of a calm, accessible message page: no script, no inline style (CSP), one stylesheet of our own. */
export function renderMessagePage(page: MessagePage): string {
  const body = page.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n      ');
  const link = page.link
    ? `<p><a class="button-link" href="${escapeHtml(page.link.href)}">${escapeHtml(page.link.text)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(page.title)}</title>
    <link rel="stylesheet" href="/prompt/static/message.css">
  </head>
  <body>
    <main>
      <h1>${escapeHtml(page.title)}</h1>
      ${body}
      ${link}
    </main>
  </body>
</html>
`;
}

/** Sends a message page with `status`. */
export function sendMessagePage(reply: FastifyReply, status: number, page: MessagePage): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(renderMessagePage(page));
}

/** The stylesheet of message pages (served at /prompt/static/message.css). */
export const MESSAGE_CSS = `:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5}
body{margin:0;background:#f6f7f9;color:#1a1d21}
main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #c9ced6;border-radius:.75rem}
h1{font-size:1.5rem;line-height:1.25;overflow-wrap:anywhere}
p{overflow-wrap:anywhere}
a{color:#1d4e89}
a.button-link{display:inline-block;padding:.5rem 1.25rem;border:2px solid #1d4e89;border-radius:.5rem;font-weight:600;text-decoration:none}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.organization{margin:0;color:#4a525c}
.error{padding:.5rem .75rem;border-left:4px solid #b3261e;background:#fdecea;color:#5f1410}
.field{display:flex;flex-direction:column;gap:.25rem;margin:1rem 0}
label{font-weight:600}
input{font:inherit;padding:.5rem;border:1px solid #6b7480;border-radius:.375rem;max-width:100%;box-sizing:border-box}
.actions{margin:1rem 0}
button{font:inherit;font-weight:600;padding:.5rem 1.25rem;border-radius:.5rem;border:2px solid #1d4e89;cursor:pointer}
button.primary{background:#1d4e89;color:#fff}
button.secondary{background:transparent;color:#1d4e89}
@media (prefers-color-scheme:dark){body{background:#121417;color:#eef1f4}main{background:#1d2126;border-color:#3c444e}a,a.button-link{color:#8fb8ec;border-color:#8fb8ec}.organization{color:#b9c1cb}.error{background:#3b1412;color:#ffd9d4}input{background:#121417;color:#eef1f4;border-color:#8a939e}button.primary{background:#8fb8ec;color:#121417;border-color:#8fb8ec}button.secondary{color:#8fb8ec;border-color:#8fb8ec}}
`;
