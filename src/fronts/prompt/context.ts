// What the prompt's routes share: core deps, the public URL, the organization's words and the WebAuthn RP.
import type { CoreDeps } from '../../core/deps.ts';
import type { RelyingParty } from '../../methods/webauthn/index.ts';

export interface PromptOptions {
  deps: CoreDeps;
  publicUrl: () => string;
  /** Shown on every page (config `organization`). */
  organization: string;
  /** "Need help?" link (config `prompt.help_url`), or null to hide it. */
  helpUrl: string | null;
  /** The WebAuthn relying party for security keys. */
  rp: () => RelyingParty;
  /** The built page (web/dist/prompt). */
  staticDir: string;
}
