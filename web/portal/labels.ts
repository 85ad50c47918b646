// Words the pages use for device kinds, methods and dates.
import type { Device } from './api.ts';

export const KIND_LABELS: Record<Device['kind'], string> = {
  push: 'Countersign Authenticator',
  totp: 'Authenticator app (codes)',
  hotp: 'Hardware token',
  webauthn: 'Security key or passkey',
  phone: 'Phone',
};

export const METHOD_LABELS = {
  push: 'Push to my phone',
  passcode: 'Passcode',
  webauthn: 'Security key or passkey',
  sms: 'Codes by text message',
} as const;

/** A date and time in the reader's own locale. */
export function when(ms: number | null): string {
  if (ms === null) return 'never';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * How a device reads in the list: its name, and its kind unless the name already says it ("Authenticator app"
 * named after its kind reads "Authenticator app (codes)", not "Authenticator app — Authenticator app (codes)").
 */
export function deviceTitle(device: Pick<Device, 'name' | 'kind'>): { name: string; kind: string | null } {
  const kind = KIND_LABELS[device.kind];
  const name = device.name.trim();
  if (kind.toLowerCase().startsWith(name.toLowerCase())) return { name: kind, kind: null };
  if (name.toLowerCase().includes(kind.toLowerCase())) return { name, kind: null };
  return { name, kind };
}
