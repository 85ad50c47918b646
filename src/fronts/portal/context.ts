// What every portal route needs: the core, the public URL, the relying party, the mailer and the portal's application.

import type { CoreDeps } from '../../core/deps.ts';
import type { Application } from '../../core/model.ts';
import type { SignOutListener } from '../../core/sso/sign-user-out.ts';
import type { RelyingParty } from '../../methods/webauthn/index.ts';
import type { Mailer } from '../notify/mailer.ts';
import { PORTAL_SESSION, type SessionFlavor } from './portal-session.ts';

export interface PortalContext {
  deps: CoreDeps;
  /** The base URL users reach, without a trailing slash. */
  publicUrl(): string;
  /** Shown in pages, e-mails and as the otpauth issuer. */
  organization: string;
  rp(): RelyingParty;
  mailer: Mailer;
  /** The application whose policy governs portal sign-ins and step-ups. */
  application(): Promise<Application>;
  /** What each single sign-on protocol does when the user signs out everywhere (tells relying parties). */
  signOutListeners(): readonly SignOutListener[];
  /** The session the sign-in, session and step-up routes serve; default: the portal's. */
  flavor?: SessionFlavor;
}

/** What the sign-in, session and step-up routes need (they send no mail): the portal's and the console's. */
export type SignInContext = Omit<PortalContext, 'mailer'>;

/** The session flavor of `context`. */
export function flavorOf(context: Pick<PortalContext, 'flavor'>): SessionFlavor {
  return context.flavor ?? PORTAL_SESSION;
}

/** The public origin (scheme://host:port), as browsers send it in `Origin`. */
export function publicOrigin(context: Pick<PortalContext, 'publicUrl'>): string {
  return new URL(context.publicUrl()).origin;
}
