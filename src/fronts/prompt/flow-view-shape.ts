// The prompt API's view of a flow, shared by the server and the page (types only: the page bundles nothing of ours).
import type { TransactionState } from '../../core/model.ts';
import type { PromptMethod } from '../../core/web/user-prefs.ts';

export type Stage = 'password' | 'begin' | 'factor' | 'allowed' | 'enroll' | 'blocked';

export interface FlowView {
  flowId: string;
  csrf: string;
  organization: string;
  application: string;
  username: string;
  helpUrl: string | null;
  stage: Stage;
  methods: {
    push: Array<{ id: string; name: string }>;
    passcode: boolean;
    webauthn: boolean;
    /** The user's phone (number masked), with what telephony and policy allow: texted codes, a call. */
    phone: { number: string; sms: boolean; call: boolean } | null;
  };
  defaultMethod: PromptMethod;
  autoPush: boolean;
  /** "Remember me for N hours", or null when policy turns remembering off. */
  rememberHours: number | null;
  tx: { version: number; state: TransactionState; factor: string | null; code: string | null } | null;
  notice: { tone: 'error' | 'info'; text: string } | null;
  message: { title: string; text: string } | null;
}
