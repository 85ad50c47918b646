// The console's screens and who sees each in the navigation (the server refuses the rest anyway).
import type { ConsoleMe } from './api.ts';

export type ScreenId =
  | 'dashboard'
  | 'users'
  | 'applications'
  | 'administrators'
  | 'logs'
  | 'rollout'
  | 'tokens';

export interface Screen {
  id: ScreenId;
  label: string;
  /** True when the signed-in administrator's role can use the screen. */
  visible: (me: ConsoleMe) => boolean;
}

const has = (me: ConsoleMe, grant: string) => (me.grants as readonly string[]).includes(grant);

export const SCREENS: readonly Screen[] = [
  { id: 'dashboard', label: 'Dashboard', visible: (me) => has(me, 'read-log') },
  { id: 'users', label: 'Users', visible: () => true },
  {
    id: 'applications',
    label: 'Applications',
    visible: (me) => has(me, 'applications') || has(me, 'settings'),
  },
  { id: 'rollout', label: 'Rollout', visible: (me) => has(me, 'read-resource') },
  { id: 'tokens', label: 'Token import', visible: (me) => has(me, 'write-resource') },
  { id: 'logs', label: 'Logs', visible: (me) => has(me, 'read-log') },
  { id: 'administrators', label: 'Administrators', visible: (me) => has(me, 'administrators') },
];

/** The screen and its argument from the address's hash (`#/users/<id>`). */
export function parseHash(hash: string): { screen: ScreenId | null; arg: string | null } {
  const [, screen, ...rest] = hash.replace(/^#/, '').split('/');
  const found = SCREENS.find((s) => s.id === screen);
  return {
    screen: found ? found.id : null,
    arg: rest.length > 0 ? decodeURIComponent(rest.join('/')) : null,
  };
}

/** What each role is called on the page. */
export const ROLE_NAMES: Record<ConsoleMe['role'], string> = {
  owner: 'Owner',
  administrator: 'Administrator',
  'help-desk': 'Help desk',
  'read-only': 'Read-only',
};

/** True when the help desk may make this call (`METHOD /path`), or the role has `grant`. */
export function may(me: ConsoleMe, grant: string, operation?: string): boolean {
  return me.role === 'help-desk'
    ? operation !== undefined && me.operations.includes(operation)
    : has(me, grant);
}
