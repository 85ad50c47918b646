// Duo's endpoints for one user's groups: list, join, leave.
import { Type } from '@sinclair/typebox';
import { addUserToGroup, removeUserFromGroup } from '../../core/admin/manage-groups.ts';
import { isCountersignError } from '../../core/errors.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import { describeGroup, GroupSchema } from './objects.ts';
import { Id, NoParams, Params, paging } from './params.ts';
import { type AdminRoute, pageOf, route } from './route.ts';
import { requireUserById, UserPath } from './routes-users.ts';

/** Duo's list maximum for the lists under a user. */
const PARTS_MAX = 500;

const userGroups = route({
  method: 'GET',
  path: '/v1/users/{user_id}/groups',
  grant: 'read-resource',
  summary: 'The groups the user is a member of.',
  params: Params(paging(PARTS_MAX)),
  pathParams: UserPath,
  response: Type.Array(GroupSchema),
  paged: true,
  async handler({ deps }, { params, path }) {
    const user = await requireUserById(deps, path.user_id);
    return pageOf(
      user.groups.map((name) => describeGroup({ name })),
      params,
    );
  },
});

const GroupId = Id('The group to join (its name).');

const addUserGroup = route({
  method: 'POST',
  path: '/v1/users/{user_id}/groups',
  grant: 'write-resource',
  summary: 'Makes the user a member of an existing group.',
  params: Params({ group_id: GroupId }),
  pathParams: UserPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, params, path }) {
    const user = await requireUserById(deps, path.user_id);
    try {
      await addUserToGroup(deps, actor, user, params.group_id);
    } catch (error) {
      // Duo: an unknown group in the body is a bad parameter, not a missing resource.
      if (isCountersignError(error, 'GROUP_NOT_FOUND')) throw invalidParameter('group_id: no such group');
      throw error;
    }
    return { response: '' };
  },
});

const removeUserGroup = route({
  method: 'DELETE',
  path: '/v1/users/{user_id}/groups/{group_id}',
  grant: 'write-resource',
  summary: 'Takes the user out of a group (a user who is not a member is left as is).',
  params: NoParams,
  pathParams: Params({ user_id: UserPath.properties.user_id, group_id: GroupId }),
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    await removeUserFromGroup(deps, actor, await requireUserById(deps, path.user_id), path.group_id);
    return { response: '' };
  },
});

export const USER_GROUP_ROUTES: AdminRoute[] = [userGroups, addUserGroup, removeUserGroup];
