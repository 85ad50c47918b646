// Push: the Countersign Authenticator gets the request and answers with a signature only its key can make.
import type { Method } from '../method.ts';

export const pushMethod = {
  id: 'push',
  kinds: ['push'],
  // The app also shows offline passcodes (TOTP), accepted through the TOTP method.
  capabilities: () => ['auto', 'push', 'mobile_otp'],
  codeLengths: () => [6],
} satisfies Method;
