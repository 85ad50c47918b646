// The identity provider's sign-in page (username and password), server-rendered: no script, no inline style, one
// stylesheet of our own (the message pages'), forms posted to our own origin.
import type { FastifyReply } from 'fastify';
import { renderPage } from '../prompt/message-page.ts';
import { type Branding, brandingOf, escapeHtml } from '../web-common/branding.ts';

export interface SignInPage {
  organization: string;
  application: string;
  /** Where the username and password are posted. */
  action: string;
  /** Where "Cancel" posts: the relying party is told the user cancelled. */
  cancelAction: string;
  /** Filled in: a relying party's hint, the signed-in user, or what was typed before. */
  username: string;
  /** One message for every failure (no user enumeration), or null. */
  error: string | null;
}

/** The HTML of the sign-in page. */
export function renderSignInPage(page: SignInPage, branding: Branding): string {
  const error = page.error
    ? `<p class="error" id="sign-in-error" role="alert">${escapeHtml(page.error)}</p>`
    : '';
  const described = page.error ? ' aria-describedby="sign-in-error"' : '';
  const focusUser = page.username === '' ? ' autofocus' : '';
  const focusPassword = page.username === '' ? '' : ' autofocus';
  return renderPage(
    branding,
    `Sign in to ${page.application}`,
    `<h1>Sign in to ${escapeHtml(page.application)}</h1>
      ${error}
      <form method="post" action="${escapeHtml(page.action)}"${described}>
        <div class="field">
          <label for="username">Username</label>
          <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="256" value="${escapeHtml(page.username)}"${focusUser}>
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${focusPassword}>
        </div>
        <div class="actions">
          <button type="submit" class="primary">Continue</button>
        </div>
      </form>
      <form method="post" action="${escapeHtml(page.cancelAction)}">
        <div class="actions">
          <button type="submit" class="secondary">Cancel</button>
        </div>
      </form>`,
  );
}

/** Sends the sign-in page with `status` (401 after a failed attempt). */
export function sendSignInPage(reply: FastifyReply, status: number, page: SignInPage): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(renderSignInPage(page, brandingOf(reply.server, page.organization)));
}
