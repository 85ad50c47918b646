import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duoTelephonyItem } from './duo-log-item.ts';

test("issue 13: a log entry reads as an item of Duo's /admin/v1/logs/telephony", () => {
  assert.deepEqual(
    duoTelephonyItem({
      id: 'TL1',
      at: Date.UTC(2012, 7, 28, 16, 53, 40, 999),
      context: 'authentication',
      type: 'sms',
      phone: '+15035550100',
      credits: 1,
      userId: 'DU1',
      provider: 'twilio',
      providerRef: 'SM1',
      status: 'sent',
    }),
    {
      context: 'authentication',
      credits: 1,
      isotimestamp: '2012-08-28T16:53:40+00:00',
      phone: '+15035550100',
      timestamp: 1346172820,
      type: 'sms',
    },
  );
});
