// Every Admin API route, in one table: the plugin registers it and the OpenAPI document describes it.
import type { AdminRoute } from './route.ts';
import { COUNTERSIGN_ROUTES } from './routes-countersign.ts';
import { DEVICE_ROUTES } from './routes-devices.ts';
import { GROUP_ROUTES } from './routes-groups.ts';
import { INFO_ROUTES } from './routes-info.ts';
import { LOG_ROUTES } from './routes-logs.ts';
import { USER_PART_ROUTES } from './routes-user-parts.ts';
import { USER_ROUTES } from './routes-users.ts';

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  ...USER_ROUTES,
  ...USER_PART_ROUTES,
  ...GROUP_ROUTES,
  ...DEVICE_ROUTES,
  ...LOG_ROUTES,
  ...INFO_ROUTES,
  ...COUNTERSIGN_ROUTES,
];
