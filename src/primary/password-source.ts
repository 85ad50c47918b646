// Where a user's password is checked: locally (argon2id) or in the directory the user came from.
import type { User } from '../core/model.ts';

export type PasswordCheck = 'ok' | 'bad' | 'unavailable';

/** Checks one user's password; directories register one of these by name. */
export interface PasswordSource {
  check(user: User, password: string): Promise<PasswordCheck>;
}
