// The provider's own pages in our look (no script, the shared stylesheet and header): the logout question,
// "signed out", and errors in plain words (the OAuth error and its description go to the log).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { renderPage } from '../prompt/message-page.ts';
import { type Branding, escapeHtml } from '../web-common/branding.ts';

/**
 * RP-initiated logout's question. `form` is the provider's hidden form (its id `op.logoutForm`, the CSRF token);
 * "Sign out everywhere" sends `logout=yes` (the whole session, every relying party told), the other button signs
 * out of the asking application only.
 */
export function logoutPage(branding: Branding) {
  const organization = escapeHtml(branding.organization);
  return async (ctx: KoaContextWithOIDC, form: string): Promise<void> => {
    const app = ctx.oidc.client?.clientName;
    const only = app
      ? `<button type="submit" form="op.logoutForm" class="secondary">Sign out of ${escapeHtml(app)} only</button>`
      : '';
    const title = `Sign out of ${branding.organization}?`;
    ctx.type = 'html';
    ctx.body = renderPage(
      branding,
      title,
      `<h1>${escapeHtml(title)}</h1>
      <p>You are signed in to applications through ${organization}. Signing out ends that sign-in in every application that used it.</p>
      ${form}
      <div class="actions">
        <button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary">Sign out everywhere</button>
        ${only}
      </div>`,
    );
  };
}

/** Shown after a logout when the application gave no address to return to. */
export function signedOutPage(branding: Branding) {
  return async (ctx: KoaContextWithOIDC): Promise<void> => {
    ctx.type = 'html';
    ctx.body = renderPage(
      branding,
      'You are signed out',
      `<h1>You are signed out</h1>
      <p>You signed out of ${escapeHtml(branding.organization)}. You can close this window.</p>`,
    );
  };
}

/** What a person can do about an OAuth error the browser lands on; anything unlisted reads as a bad link. */
const PLAIN_WORDS: Readonly<Record<string, { title: string; text: string }>> = {
  invalid_client: {
    title: 'This application is not connected',
    text: 'The application that sent you here is not set up to sign in with us. Tell its administrator.',
  },
  invalid_redirect_uri: {
    title: 'This application is not connected',
    text: 'The application that sent you here asked to return to an address it has not registered. Tell its administrator.',
  },
  unauthorized_client: {
    title: 'This application is not connected',
    text: 'The application that sent you here may not sign in this way. Tell its administrator.',
  },
  access_denied: {
    title: 'Sign-in was not completed',
    text: 'The sign-in was cancelled or refused. Go back to the application and try again.',
  },
  login_required: {
    title: 'Sign-in was not completed',
    text: 'You need to sign in first. Go back to the application and try again.',
  },
  server_error: {
    title: 'Sign-in is not available right now',
    text: 'Something went wrong on our side. Try again in a moment.',
  },
  temporarily_unavailable: {
    title: 'Sign-in is not available right now',
    text: 'Something went wrong on our side. Try again in a moment.',
  },
};

const BAD_LINK = {
  title: 'This sign-in link is not valid',
  text: 'Go back to the application and try again. If this keeps happening, tell its administrator.',
};

/** Where the provider's error details go. */
export interface PageLog {
  info(details: Record<string, unknown>, message: string): void;
}

/** An error the browser sees (a bad authorization request, an expired sign-in), in plain words. */
export function errorPage(branding: Branding, log: PageLog) {
  return async (ctx: KoaContextWithOIDC, out: Record<string, unknown>): Promise<void> => {
    const code = typeof out.error === 'string' ? out.error : 'server_error';
    const description = typeof out.error_description === 'string' ? out.error_description : '';
    // The operator gets the protocol's words; the person gets what to do.
    log.info(
      { error: code, description, client: ctx.oidc?.client?.clientId },
      'OpenID sign-in request refused',
    );
    const words = PLAIN_WORDS[code] ?? BAD_LINK;
    ctx.type = 'html';
    ctx.body = renderPage(
      branding,
      words.title,
      `<h1>${escapeHtml(words.title)}</h1>
      <p>${escapeHtml(words.text)}</p>`,
    );
  };
}
