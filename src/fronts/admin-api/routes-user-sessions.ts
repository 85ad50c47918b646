// "Sign out everywhere" for one user, where Duo has no such call: under /admin/v1/countersign/.
import { Type } from '@sinclair/typebox';
import { signOutEverywhere } from '../../core/web/remembered.ts';
import { NoParams } from './params.ts';
import { type AdminRoute, route } from './route.ts';
import { requireUserById, UserPath } from './routes-users.ts';

const signOut = route({
  method: 'POST',
  path: '/v1/countersign/users/{user_id}/sign_out',
  grant: 'write-resource',
  summary:
    "Ends the user's portal and single sign-on sessions, every browser's remembered login and their OpenID tokens (relying parties are not told over the back channel: `countersign user sign-out` does that).",
  params: NoParams,
  pathParams: UserPath,
  response: Type.Object({ ended: Type.Integer({ description: 'Sessions and remembered browsers ended.' }) }),
  async handler({ deps }, { actor, path }) {
    const user = await requireUserById(deps, path.user_id);
    return { response: { ended: await signOutEverywhere(deps, actor, user) } };
  },
});

export const USER_SESSION_ROUTES: AdminRoute[] = [signOut];
