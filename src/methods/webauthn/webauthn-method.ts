// Security keys and passkeys (WebAuthn): a method with no passcode; the prompt and portal run the ceremonies.
import type { Method } from '../method.ts';

export const webauthnMethod = {
  id: 'webauthn',
  kinds: ['webauthn'],
  // Duo's preauth has no capability for security keys: the Auth API does not offer them.
  capabilities: () => [],
} satisfies Method;
