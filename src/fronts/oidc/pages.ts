// The provider's own pages in our look (no script, our stylesheet): the logout question, "signed out", and errors.
import type { KoaContextWithOIDC } from 'oidc-provider';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="/prompt/static/message.css">
  </head>
  <body>
    <main>
      <h1>${escapeHtml(title)}</h1>
      ${body}
    </main>
  </body>
</html>
`;
}

/**
 * RP-initiated logout's question. `form` is the provider's hidden form (its id `op.logoutForm`, the CSRF token);
 * "Sign out everywhere" sends `logout=yes` (the whole session, every relying party told), the other button signs
 * out of the asking application only.
 */
export function logoutPage(organization: string) {
  return async (ctx: KoaContextWithOIDC, form: string): Promise<void> => {
    const app = ctx.oidc.client?.clientName;
    const only = app
      ? `<button type="submit" form="op.logoutForm" class="secondary">Sign out of ${escapeHtml(app)} only</button>`
      : '';
    ctx.type = 'html';
    ctx.body = page(
      `Sign out of ${organization}?`,
      `<p>You are signed in to applications through ${escapeHtml(organization)}. Signing out ends that sign-in in every application that used it.</p>
      ${form}
      <div class="actions">
        <button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary">Sign out everywhere</button>
        ${only}
      </div>`,
    );
  };
}

/** Shown after a logout when the application gave no address to return to. */
export function signedOutPage(organization: string) {
  return async (ctx: KoaContextWithOIDC): Promise<void> => {
    ctx.type = 'html';
    ctx.body = page(
      'You are signed out',
      `<p>You signed out of ${escapeHtml(organization)}. You can close this window.</p>`,
    );
  };
}

/** An error the browser sees (a bad authorization request, an expired sign-in): the OAuth error, in plain words. */
export async function errorPage(ctx: KoaContextWithOIDC, out: Record<string, unknown>): Promise<void> {
  const code = typeof out.error === 'string' ? out.error : 'server_error';
  const description = typeof out.error_description === 'string' ? out.error_description : '';
  ctx.type = 'html';
  ctx.body = page(
    'This sign-in request cannot continue',
    `<p>${escapeHtml(description || 'Something went wrong.')}</p>
      <p>Go back to the application and try again. If this keeps happening, tell its administrator: <code>${escapeHtml(code)}</code>.</p>`,
  );
}
