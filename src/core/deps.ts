// Everything the core needs from the outside, passed in explicitly (no module-level singletons).
import type { KeyRing } from '../crypto/keyring.ts';
import type { Telephony } from '../telephony/telephony.ts';
import type { Clock, Random } from './clock.ts';
import type { EventBus } from './events.ts';
import type { StartLimits } from './limits/start-limits.ts';
import type { Locator } from './locate.ts';
import type { Notifier } from './notify.ts';
import type { PrimaryAuth } from './primary-auth.ts';
import type { Store } from './repositories.ts';

export interface CoreDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  random: Random;
  /** Read through a getter: `keys rotate` replaces the ring while the server runs. */
  ring: KeyRing;
  /** Checks passwords for fronts that ask for one. */
  primary: PrimaryAuth;
  /** Web Push to devices and alerts to administrators. */
  notify: Notifier;
  /** How fast logins may be started per user and per address. */
  limits: StartLimits;
  /** Where sign-ins come from (GeoIP); absent when switched off (`geoip.enabled`) or not set up (tests). */
  locator?: Locator;
  /** Text messages and calls (SMS passcodes, sign-in calls); `enabled` is false until an administrator turns it on. */
  telephony: Telephony;
}
