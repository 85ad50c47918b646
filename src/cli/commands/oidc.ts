// `countersign oidc keys …`: the OpenID provider's signing keys — list them, rotate them (promote, add, retire).
import { ensureSigningKeys, publishedKeys, rotateSigningKeys } from '../../core/oidc/signing-keys.ts';
import type { Command } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { formatTable, print } from '../output.ts';

export const oidcKeysList: Command = {
  name: 'oidc keys',
  summary:
    "List the OpenID provider's signing keys: the one that signs, the next, and retired ones still published.",
  usage: 'countersign oidc keys',
  positionals: 0,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps, config }) => {
      const now = deps.clock.now();
      const published = new Set(
        publishedKeys(await ensureSigningKeys(deps), now, config.oidc.retired_key_hours * 3_600_000).map(
          (k) => k.kid,
        ),
      );
      const keys = (await deps.store.oidcSigningKeys.list()).map((k) => ({
        kid: k.kid,
        state: k.state,
        published: published.has(k.kid),
        created: new Date(k.createdAt).toISOString(),
        promoted: k.promotedAt === null ? null : new Date(k.promotedAt).toISOString(),
        retired: k.retiredAt === null ? null : new Date(k.retiredAt).toISOString(),
      }));
      print(invocation.io, invocation.json, keys, () =>
        formatTable(keys, ['kid', 'state', 'published', 'created', 'promoted', 'retired']),
      );
      return keys;
    }),
};

export const oidcKeysRotate: Command = {
  name: 'oidc keys rotate',
  summary:
    'Rotate the OpenID signing key: the published next key starts signing, the old one stays published until its tokens expire, a new next key is added.',
  usage: 'countersign oidc keys rotate',
  positionals: 0,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps, config }) => {
      const retentionMs = config.oidc.retired_key_hours * 3_600_000;
      const result = await rotateSigningKeys(deps, cliActor(invocation), retentionMs);
      print(invocation.io, invocation.json, result, () =>
        [
          result.promoted
            ? `Key ${result.promoted} signs from now on (running servers switch within 30 seconds).`
            : 'There was no published next key to promote: the new one below will be promoted by the next rotation.',
          ...(result.retired
            ? [`Key ${result.retired} is retired: still published for ${config.oidc.retired_key_hours} h.`]
            : []),
          `Key ${result.added} is published as the next key.`,
          ...(result.removed.length > 0 ? [`Removed expired keys: ${result.removed.join(', ')}.`] : []),
        ].join('\n'),
      );
      return result;
    }),
};

export const oidcCommands = [oidcKeysList, oidcKeysRotate];
