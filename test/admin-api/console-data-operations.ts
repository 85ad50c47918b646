// The operations console-data.test.ts covers (the console's data, issue 12); duo-sdk.test.ts leaves them to it.

/** `METHOD template` of each, as /admin/openapi.json names it. */
export const CONSOLE_DATA_OPERATIONS: ReadonlySet<string> = new Set([
  'POST /admin/v1/integrations',
  'GET /admin/v1/integrations/{integration_key}',
  'POST /admin/v1/integrations/{integration_key}',
  'DELETE /admin/v1/integrations/{integration_key}',
  'GET /admin/v1/countersign/dashboard',
  'GET /admin/v1/countersign/rollout',
  'GET /admin/v1/countersign/rollout/{integration_key}/not_enrolled',
  'POST /admin/v1/countersign/rollout/{integration_key}/reminders',
  'POST /admin/v1/countersign/users/{user_id}/enrollment_email',
  'GET /admin/v1/countersign/policy_preview',
  'POST /admin/v1/countersign/tokens/import',
  'POST /admin/v1/countersign/fraud_reports/{id}',
]);
