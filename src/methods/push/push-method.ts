// Push: the Countersign Authenticator gets the request and answers with a signature only its key can make.
import { deviceTopic } from '../../core/enrollment/activate-device.ts';
import type { Method } from '../method.ts';
import { authenticatePushAnswer, judgePushAnswer, type PushAnswer } from './push-answer.ts';
import { type PushOptions, pendingRequest, pushChallenge } from './push-request.ts';

export const pushMethod = {
  id: 'push',
  kinds: ['push'],
  // The app also shows offline passcodes (TOTP), accepted through the TOTP method.
  capabilities: () => ['auto', 'push', 'mobile_otp'],
  codeLengths: () => [6],
  challenge: pushChallenge,
  authenticate: authenticatePushAnswer,
  verify: judgePushAnswer,
  async deliver(deps, tx) {
    if (tx.deviceId === null) return;
    const topic = deviceTopic(tx.deviceId);
    const request = tx.state === 'pushed' ? pendingRequest(tx) : null;
    if (!request) {
      await deps.bus.publish({ topic, payload: { type: 'resolved', txid: tx.id, state: tx.state } });
      return;
    }
    // With the row as committed, the app's live channel on this node writes the request without reading it back.
    await deps.bus.publish({ topic, payload: { type: 'request', txid: tx.id }, committed: tx });
    const device = await deps.store.authenticators.get(tx.deviceId);
    // Delivery problems must not fail the login: the app fetches pending requests whenever it opens.
    if (device) await deps.notify.deviceRequest(device, request).catch(() => {});
  },
} satisfies Method<PushOptions, null, PushAnswer>;
