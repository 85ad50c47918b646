// A user's sign-in preferences (written by the portal, read by the prompt): default method and automatic push.
import type { SettingsRepository } from '../repositories.ts';

export const PROMPT_METHODS = ['push', 'passcode', 'webauthn'] as const;
export type PromptMethod = (typeof PROMPT_METHODS)[number];

export interface UserPrefs {
  defaultMethod: PromptMethod | null;
  /** Send a push as soon as the prompt opens, when push is the default. */
  autoPush: boolean;
}

/** The settings key of a user's preferences. */
export function prefsKey(userId: string): string {
  return `prefs:${userId}`;
}

/** Reads a user's preferences; anything missing or malformed falls back to "no default, no auto push". */
export async function readUserPrefs(settings: SettingsRepository, userId: string): Promise<UserPrefs> {
  const raw = await settings.get<Record<string, unknown>>(prefsKey(userId));
  const method = raw?.defaultMethod;
  // The portal may store the method id of a passcode source (totp/hotp): all of them are "passcode" here.
  const normalized = method === 'totp' || method === 'hotp' ? 'passcode' : method;
  return {
    defaultMethod: PROMPT_METHODS.includes(normalized as PromptMethod) ? (normalized as PromptMethod) : null,
    autoPush: raw?.autoPush === true,
  };
}
