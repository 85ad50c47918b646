// A relying party's sign-in request as the single sign-on fronts (OIDC, SAML) hand it to the shared sign-in steps.
import type { Application } from '../../core/model.ts';
import type { SsoFinish } from '../../core/web/prompt-flow.ts';

export interface SsoRequest {
  protocol: SsoFinish['protocol'];
  /** The front's id of the pending request (OIDC interaction uid, SAML AuthnRequest ID): the hand-off binds to it. */
  requestRef: string;
  app: Application;
  /** The relying party's name in the audit log (OIDC client_id, SAML SP entity ID). */
  rp: string;
  /** The front's same-origin paths for this request. */
  paths: { signIn: string; cancel: string; done: string };
  /** The relying party demands a new sign-in (OIDC `prompt=login`, SAML `ForceAuthn`). */
  forceLogin: boolean;
  /** The oldest sign-in the relying party accepts (OIDC `max_age`), in ms; null when it did not say. */
  maxAgeMs: number | null;
  /** A username the relying party suggests (OIDC `login_hint`); null when none. */
  loginHint: string | null;
}

/** The front's state carried through the prompt: when the password was checked, and the session ridden on. */
export interface SsoFlowState {
  passwordAt: number | null;
  ssoSessionId: string | null;
}

/** Reads the state back; a damaged one reads as "nothing proven". */
export function readFlowState(text: string | null): SsoFlowState {
  try {
    const value = JSON.parse(text ?? '') as Partial<SsoFlowState>;
    return {
      passwordAt: typeof value.passwordAt === 'number' ? value.passwordAt : null,
      ssoSessionId: typeof value.ssoSessionId === 'string' ? value.ssoSessionId : null,
    };
  } catch {
    return { passwordAt: null, ssoSessionId: null };
  }
}
