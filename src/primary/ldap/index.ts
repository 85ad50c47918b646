// Public surface of the LDAP / Active Directory primary-authentication module.
export {
  authenticateLdap,
  type LdapAuthFailure,
  type LdapAuthResult,
  userSearchFilter,
} from './authenticate.ts';
export {
  DEFAULT_ATTRIBUTES,
  type LdapAttributeMap,
  type LdapConfigResult,
  type LdapDirectoryConfig,
  validateLdapConfig,
} from './config.ts';
export {
  closeClient,
  connectLdap,
  type LdapAttempt,
  type LdapConnection,
  LdapUnavailableError,
} from './connect.ts';
export { type DirectoryDiff, diffDirectory, type ExistingUser, type FieldValue } from './diff-users.ts';
export type { DirectoryUser } from './entry.ts';
export { escapeDnValue, escapeFilterValue } from './escape.ts';
export { LdapReadOptionsError, type ReadUsersOptions, readDirectoryUsers } from './read-users.ts';
