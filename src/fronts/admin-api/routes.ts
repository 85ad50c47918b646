// Every Admin API route, in one table: the plugin registers it and the OpenAPI document describes it.
import type { AdminRoute } from './route.ts';
import { ADMIN_ACCOUNT_ROUTES } from './routes-admins.ts';
import { AUTHLOG_ROUTES } from './routes-authlog.ts';
import { BYPASS_CODE_ROUTES } from './routes-bypass-codes.ts';
import { COUNTERSIGN_ROUTES } from './routes-countersign.ts';
import { GROUP_ROUTES } from './routes-groups.ts';
import { INFO_ROUTES } from './routes-info.ts';
import { INTEGRATION_ROUTES } from './routes-integrations.ts';
import { LOG_ROUTES } from './routes-logs.ts';
import { PHONE_ROUTES } from './routes-phones.ts';
import { POLICY_ROUTES } from './routes-policies.ts';
import { ROLLOUT_ROUTES } from './routes-rollout.ts';
import { TOKEN_ROUTES } from './routes-tokens.ts';
import { USER_DEVICE_ROUTES } from './routes-user-devices.ts';
import { USER_GROUP_ROUTES } from './routes-user-groups.ts';
import { USER_ROUTES } from './routes-users.ts';

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  ...USER_ROUTES,
  ...USER_DEVICE_ROUTES,
  ...USER_GROUP_ROUTES,
  ...BYPASS_CODE_ROUTES,
  ...GROUP_ROUTES,
  ...PHONE_ROUTES,
  ...TOKEN_ROUTES,
  ...AUTHLOG_ROUTES,
  ...LOG_ROUTES,
  ...INFO_ROUTES,
  ...INTEGRATION_ROUTES,
  ...POLICY_ROUTES,
  ...COUNTERSIGN_ROUTES,
  ...ROLLOUT_ROUTES,
  ...ADMIN_ACCOUNT_ROUTES,
];
