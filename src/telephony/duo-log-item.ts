// A telephony log entry as Duo's Admin API lists it (`GET /admin/v1/logs/telephony`), for the Admin API to serve.
import type { TelephonyLogEntry } from '../core/model.ts';

/** One item of Duo's telephony log (v1): times in whole seconds and ISO 8601 with an offset. */
export interface DuoTelephonyItem {
  context: string;
  credits: number;
  isotimestamp: string;
  phone: string;
  timestamp: number;
  type: 'sms' | 'phone';
}

/** `entry` in Duo's shape. */
export function duoTelephonyItem(entry: TelephonyLogEntry): DuoTelephonyItem {
  return {
    context: entry.context,
    credits: entry.credits,
    isotimestamp: new Date(Math.floor(entry.at / 1000) * 1000).toISOString().replace(/\.000Z$/, '+00:00'),
    phone: entry.phone,
    timestamp: Math.floor(entry.at / 1000),
    type: entry.type,
  };
}
