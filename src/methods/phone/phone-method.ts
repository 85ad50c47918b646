// Phone: a confirmed number that gets sign-in calls (and SMS passcodes, checked by the sms method).
import type { Method } from '../method.ts';
import {
  authenticateCallAnswer,
  type CallAnswer,
  type CallOptions,
  callChallenge,
  judgeCallAnswer,
  placeSignInCall,
} from './phone-call.ts';

export const phoneMethod = {
  id: 'phone',
  kinds: ['phone'],
  // A number takes calls and text messages; preauth drops what telephony cannot do (fronts/auth-api/describe.ts).
  capabilities: () => ['phone', 'sms'],
  challenge: callChallenge,
  authenticate: authenticateCallAnswer,
  verify: judgeCallAnswer,
  deliver: placeSignInCall,
} satisfies Method<CallOptions, null, CallAnswer>;
