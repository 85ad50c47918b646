// "Sign out everywhere" for one user, by an administrator (CLI, Admin API, console) or the user: every browser
// session (portal, prompt, single sign-on) and remembered second factor ends, everything the OpenID provider issued
// is revoked, and relying parties that can be told without the browser are told. The core does not know how each
// protocol tells its parties: the fronts pass listeners.
import type { CoreDeps } from '../deps.ts';
import type { User } from '../model.ts';
import { signOutEverywhere } from '../web/remembered.ts';

/** A protocol's part in a sign-out: it reads whom to tell before anything ends, and tells them afterwards. */
export interface SignOutListener {
  /** Reads the parties to tell (before the sessions end); returns what tells them, resolving to how many were. */
  prepare(userId: string): Promise<() => Promise<number>>;
}

/** What a sign-out did: browser sessions and remembered logins ended, relying parties told. */
export interface SignOutResult {
  ended: number;
  notified: number;
}

/** Signs `user` out everywhere (audited as `actor`), then lets each listener tell its relying parties. */
export async function signUserOut(
  deps: CoreDeps,
  actor: string,
  user: User,
  listeners: readonly SignOutListener[] = [],
): Promise<SignOutResult> {
  const tellers = await Promise.all(listeners.map((listener) => listener.prepare(user.id)));
  const ended = await signOutEverywhere(deps, actor, user);
  let notified = 0;
  for (const tell of tellers) notified += await tell();
  return { ended, notified };
}
