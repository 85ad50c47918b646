// Maintenance rounds: what each one deletes (here: the OpenID provider's expired artifacts, and only those).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runMaintenance } from '../../src/core/maintenance.ts';
import type { OidcArtifact } from '../../src/core/model.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

test('issue 11: a maintenance round deletes expired OIDC artifacts and keeps live ones', async () => {
  const artifact = (id: string, expiresAt: number | null): OidcArtifact => ({
    model: 'Session',
    id,
    payloadSealed: 'sealed',
    grantId: null,
    uid: null,
    userCode: null,
    accountId: 'DU1',
    expiresAt,
    consumedAt: null,
  });
  const now = h.clock.now();
  await h.deps.store.oidcArtifacts.upsert(artifact('expired', now - 1));
  await h.deps.store.oidcArtifacts.upsert(artifact('live', now + 60_000));
  await h.deps.store.oidcArtifacts.upsert(artifact('forever', null));
  await runMaintenance(h.deps);
  // revokeByAccount deletes (and counts) every row of the account, expired or not: two means the expired one is gone.
  assert.equal(
    await h.deps.store.oidcArtifacts.revokeByAccount('DU1'),
    2,
    'only the live and the lasting remained',
  );
});
