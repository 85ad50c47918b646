// POST /rest/v1/preauth.bson: may this user log in, and the menu duo_unix shows (`prompt`, `factors`).
import { evaluateAccess, evaluateUnknownUser } from '../../core/evaluate-access.ts';
import { describeDevices, describePrompt, describeStatus } from '../auth-api/describe.ts';
import type { V1Handler } from './context.ts';
import { readUser } from './read-params.ts';

/**
 * `result` auth (with `prompt`, the menu text, and `factors`, menu keys and `default` → `push1`…), allow, deny or
 * enroll, each with the `status` duo_unix prints. `hostname` and `failmode` are informative and not read.
 */
export const preauth: V1Handler = async ({ deps, publicUrl }, { app, params }) => {
  const { user } = await readUser(deps, params);
  const now = deps.clock.now();
  const decision = user
    ? await evaluateAccess(deps.store, app, user, now)
    : await evaluateUnknownUser(deps.store, app, now);
  switch (decision.result) {
    case 'auth': {
      const menu = describePrompt(decision.user.username, describeDevices(decision.authenticators));
      return { result: 'auth', status: 'Account is active', prompt: menu.text, factors: menu.factors };
    }
    case 'enroll':
      return { result: 'enroll', status: `Enroll an authentication device first: ${publicUrl}/portal` };
    default: {
      const { status_msg } = describeStatus({ state: decision.result, reason: decision.reason });
      return { result: decision.result, status: status_msg };
    }
  }
};
