// Out-of-band notices the core asks for: a push to a device, a fraud alert to administrators.
import type { PendingRequest } from '../device-protocol/messages.ts';
import type { Application, Authenticator, AuthTransaction, User } from './model.ts';

export interface Notifier {
  /** Wakes a device whose app is closed (Web Push); live channels are served from the event bus. */
  deviceRequest(device: Authenticator, request: PendingRequest): Promise<void>;
  /** Tells administrators a user reported a push as fraud. */
  fraudReported(event: { user: User; app: Application | null; tx: AuthTransaction }): Promise<void>;
}

/** A notifier that sends nothing (tests, and servers with no Web Push or mail configured). */
export const silentNotifier: Notifier = {
  deviceRequest: async () => {},
  fraudReported: async () => {},
};
