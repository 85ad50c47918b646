// Public surface of directory (LDAP / AD) integration: stored settings, primary auth, sync and its schedule.
export {
  DIRECTORY_CACHE_MS,
  type DirectoryPrimaryAuthOptions,
  directoryPrimaryAuth,
} from './directory-primary-auth.ts';
export {
  type DirectorySummary,
  directoryNameProblem,
  listDirectories,
  listDirectoryUsers,
  loadDirectory,
  removeDirectory,
  requireDirectory,
  saveDirectory,
} from './directory-settings.ts';
export {
  SCHEDULED_SYNC_ACTOR,
  type ScheduleOptions,
  type SyncLog,
  type SyncTimers,
  scheduleDirectorySync,
} from './schedule-sync.ts';
export { type SyncOptions, type SyncReport, syncDirectory, syncDisabledKey } from './sync-directory.ts';
