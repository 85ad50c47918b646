// Duo's group endpoints: list, create, read, delete, and a group's members. A group's id is its name.
import { Type } from '@sinclair/typebox';
import { createGroup, deleteGroup, groupNameProblem, requireGroup } from '../../core/admin/manage-groups.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import { describeGroup, describeUserSummary, GroupSchema, UserSummarySchema } from './objects.ts';
import { NoParams, Params, paging, Text } from './params.ts';
import { type AdminRoute, pageMetadata, route } from './route.ts';

/** Duo's list maximum for groups and their members. */
const GROUPS_MAX = 500;

const GroupPath = Params({ group_id: Text({ maxLength: 256, description: "The group's id (its name)." }) });

const listGroups = route({
  method: 'GET',
  path: '/v1/groups',
  grant: 'read-resource',
  summary: 'Groups in name order, a page at a time.',
  params: Params(paging(GROUPS_MAX)),
  pathParams: NoParams,
  response: Type.Array(GroupSchema),
  paged: true,
  async handler({ deps }, { params }) {
    const [groups, total] = await Promise.all([
      deps.store.groups.list({ limit: params.limit, offset: params.offset }),
      deps.store.groups.count(),
    ]);
    return {
      response: groups.map(describeGroup),
      metadata: pageMetadata(total, params.offset, params.limit, groups.length),
    };
  },
});

const createGroupRoute = route({
  method: 'POST',
  path: '/v1/groups',
  grant: 'write-resource',
  summary: 'Creates an empty group with no policy of its own.',
  params: Params({ name: Text({ maxLength: 128, description: 'The group name (also its id).' }) }),
  pathParams: NoParams,
  response: GroupSchema,
  async handler({ deps }, { actor, params }) {
    const problem = groupNameProblem(params.name);
    if (problem) throw invalidParameter(`name: ${problem}`);
    return { response: describeGroup(await createGroup(deps, actor, params.name)) };
  },
});

/** v1 and v2 read a group the same way (Duo's v2 only drops the member list v1 never had here). */
const getGroup = (version: 'v1' | 'v2') =>
  route({
    method: 'GET',
    path: `/${version}/groups/{group_id}`,
    grant: 'read-resource',
    summary: 'One group.',
    params: NoParams,
    pathParams: GroupPath,
    response: GroupSchema,
    async handler({ deps }, { path }) {
      return { response: describeGroup(await requireGroup(deps.store, path.group_id)) };
    },
  });

const deleteGroupRoute = route({
  method: 'DELETE',
  path: '/v1/groups/{group_id}',
  grant: 'write-resource',
  summary: 'Deletes a group and takes it off every member; deleting one already gone succeeds.',
  params: NoParams,
  pathParams: GroupPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    await deleteGroup(deps, actor, path.group_id);
    return { response: '' };
  },
});

const groupUsers = route({
  method: 'GET',
  path: '/v2/groups/{group_id}/users',
  grant: 'read-resource',
  summary: "A group's members in username order, a page at a time.",
  params: Params(paging(GROUPS_MAX)),
  pathParams: GroupPath,
  response: Type.Array(UserSummarySchema),
  paged: true,
  async handler({ deps }, { params, path }) {
    const group = await requireGroup(deps.store, path.group_id);
    const filter = { group: group.name };
    const [users, total] = await Promise.all([
      deps.store.users.list({ limit: params.limit, offset: params.offset }, filter),
      deps.store.users.count(filter),
    ]);
    return {
      response: users.map(describeUserSummary),
      metadata: pageMetadata(total, params.offset, params.limit, users.length),
    };
  },
});

export const GROUP_ROUTES: AdminRoute[] = [
  listGroups,
  createGroupRoute,
  getGroup('v1'),
  getGroup('v2'),
  deleteGroupRoute,
  groupUsers,
];
