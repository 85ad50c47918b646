// `countersign policy show|set`: the global, application and group policy layers.
import { groupNameProblem } from '../../core/admin/manage-groups.ts';
import { type PolicyTarget, readPolicyLayer, updatePolicyLayer } from '../../core/admin/set-policy.ts';
import type { PolicyLayer } from '../../core/model.ts';
import { POLICY_KEYS, parsePolicySettings } from '../../core/policy/parse-policy.ts';
import { resolvePolicy } from '../../core/policy/resolve-policy.ts';
import { type Command, type Invocation, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { formatRecord, print } from '../output.ts';

const TARGET_OPTIONS = { app: { type: 'string' }, group: { type: 'string' } } as const;

function targetOf(invocation: Invocation): PolicyTarget {
  const app = invocation.values.app;
  const group = invocation.values.group;
  if (typeof app === 'string' && typeof group === 'string')
    throw new UsageError('give --app or --group, not both');
  if (typeof app === 'string') return { layer: 'application', ref: app };
  if (typeof group === 'string') {
    const problem = groupNameProblem(group);
    if (problem) throw new UsageError(problem);
    return { layer: 'group', name: group };
  }
  return { layer: 'global' };
}

export const policyShow: Command = {
  name: 'policy show',
  summary: 'Show a policy layer (global by default) and the effective result over the defaults.',
  usage: 'countersign policy show [--app NAME | --group NAME]',
  positionals: 0,
  options: TARGET_OPTIONS,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const target = targetOf(invocation);
      const layer = await readPolicyLayer(deps, target);
      const global = target.layer === 'global' ? {} : await readPolicyLayer(deps, { layer: 'global' });
      const effective = resolvePolicy(global, layer);
      const result = { target, layer, effective };
      print(invocation.io, invocation.json, result, () =>
        [
          `Set on this layer:`,
          Object.keys(layer).length ? formatRecord(layer) : '(nothing)',
          '',
          'Effective (over the global layer and defaults):',
          formatRecord(effective),
        ].join('\n'),
      );
      return result;
    }),
};

export const policySet: Command = {
  name: 'policy set',
  summary: 'Set (key=value) or clear (key=) policy keys on a layer.',
  usage: `countersign policy set [--app NAME | --group NAME] key=value…   keys: ${POLICY_KEYS.join(', ')}`,
  positionals: [1, POLICY_KEYS.length],
  options: TARGET_OPTIONS,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const target = targetOf(invocation);
      let change: { set: PolicyLayer; clear: Array<keyof PolicyLayer> };
      try {
        change = parsePolicySettings(invocation.positionals);
      } catch (error) {
        throw new UsageError((error as { detail?: string }).detail ?? (error as Error).message);
      }
      const layer = await updatePolicyLayer(deps, cliActor(invocation), target, change);
      print(
        invocation.io,
        invocation.json,
        { target, layer },
        () => `Policy updated:\n${formatRecord(layer)}`,
      );
      return layer;
    }),
};

export const policyCommands = [policyShow, policySet];
