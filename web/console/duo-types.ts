// The shapes of the Admin API answers the console reads (Duo's objects; only the fields it shows).

export interface DuoUserSummary {
  user_id: string;
  username: string;
}

export interface DuoPhone {
  phone_id: string;
  name: string;
  number: string;
  platform: string;
  activated: boolean;
  last_seen: string;
}

export interface DuoToken {
  token_id: string;
  type: string;
  serial: string;
  /** The user it is assigned to (Duo lists at most one). */
  users: DuoUserSummary[];
}

export interface DuoUser {
  user_id: string;
  username: string;
  realname: string;
  email: string;
  notes: string;
  status: 'active' | 'bypass' | 'disabled' | 'locked out';
  created: number;
  last_login: number | null;
  is_enrolled: boolean;
  groups: Array<{ name: string }>;
  phones: DuoPhone[];
  tokens: DuoToken[];
  webauthncredentials: Array<{ webauthnkey: string; credential_name: string; date_added: number }>;
}

export interface DuoAuthLog {
  txid: string;
  timestamp: number;
  result: string;
  reason: string;
  factor: string;
  user: { name: string; key: string | null };
  application: { name: string; key: string } | null;
  access_device: {
    ip: string | null;
    location?: { city?: string | null; state?: string | null; country?: string | null };
  };
}

export interface DuoAdmin {
  admin_id: string;
  username: string;
  name: string;
  email: string | null;
  role: string;
  status: string;
  created: number;
  last_login: number | null;
}

/** Where a sign-in came from, in words ("Lyon, France"), or a dash. */
export function placeOf(entry: DuoAuthLog): string {
  const location = entry.access_device.location;
  const parts = [location?.city, location?.state, location?.country].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return parts.length > 0 ? parts.join(', ') : '—';
}

/** The words for a user's status. */
export const STATUS_WORDS: Record<DuoUser['status'], string> = {
  active: 'Active',
  bypass: 'Bypass (no second factor)',
  disabled: 'Disabled',
  'locked out': 'Locked out',
};
