// Duo's account summary (integrations: routes-integrations.ts).
import { Type } from '@sinclair/typebox';
import { budgetDay } from '../../telephony/telephony-limits.ts';
import { NoParams } from './params.ts';
import { type AdminRoute, route } from './route.ts';

const summary = route({
  method: 'GET',
  path: '/v1/info/summary',
  grant: 'read-info',
  summary: 'Counts of users and integrations, and the telephony credits left today.',
  params: NoParams,
  pathParams: NoParams,
  response: Type.Object({
    admin_count: Type.Integer({ description: 'Administrators (users with a console role).' }),
    integration_count: Type.Integer(),
    telephony_credits_remaining: Type.Integer({
      description: "Credits left in today's budget (UTC); -1 when there is no budget.",
    }),
    user_count: Type.Integer(),
  }),
  async handler({ deps, dailyCreditBudget }, _call) {
    const [users, admins, apps, spent] = await Promise.all([
      deps.store.users.count(),
      deps.store.administrators.count(),
      deps.store.applications.list(),
      deps.store.telephony.creditsSpent(budgetDay(deps.clock.now())),
    ]);
    return {
      response: {
        admin_count: admins,
        integration_count: apps.length,
        telephony_credits_remaining: dailyCreditBudget > 0 ? Math.max(0, dailyCreditBudget - spent) : -1,
        user_count: users,
      },
    };
  },
});

export const INFO_ROUTES: AdminRoute[] = [summary];
