// oidc-provider's storage adapter on our store: every model in one table, ids hashed and payloads sealed (an opaque
// token's id is the token itself), codes and refresh tokens spent by compare-and-set so any node serves any step.
import { createHash } from 'node:crypto';
import { type AdapterConstructor, type AdapterPayload, errors } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import type { OidcArtifact } from '../../core/model.ts';
import { seal } from '../../crypto/secret-box.ts';
import { openArtifact, payloadContext } from './artifact-payload.ts';
import { clientMetadata } from './clients.ts';

/** Models a client redeems once at the token endpoint: a second use is refused on every node. */
const SINGLE_USE = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/** The stored id of a provider id: a stolen database holds no usable token, session or code. */
function storedId(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The adapter class oidc-provider instantiates once per model. Rows are kept `toleranceSeconds` past their expiry,
 * as the provider itself accepts them that long (its clock tolerance); `Client` is read from the applications.
 */
export function storeAdapter(deps: CoreDeps, toleranceSeconds: number): AdapterConstructor {
  return class StoreAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      if (this.model === 'Client')
        throw new Error('clients are applications: add them with `countersign app add`');
      const key = storedId(id);
      await deps.store.oidcArtifacts.upsert({
        model: this.model,
        id: key,
        payloadSealed: seal(deps.ring, Buffer.from(JSON.stringify(payload)), payloadContext(this.model, key)),
        grantId: text(payload.grantId),
        uid: text(payload.uid),
        userCode: text(payload.userCode),
        accountId: text(payload.accountId),
        expiresAt: expiresIn === undefined ? null : deps.clock.now() + (expiresIn + toleranceSeconds) * 1000,
        consumedAt: null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return clientMetadata(deps, id);
      return this.read(await deps.store.oidcArtifacts.find(this.model, storedId(id), deps.clock.now()));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.read(await deps.store.oidcArtifacts.findByUid(this.model, uid, deps.clock.now()));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.read(await deps.store.oidcArtifacts.findByUserCode(this.model, userCode, deps.clock.now()));
    }

    async consume(id: string): Promise<void> {
      const key = storedId(id);
      if (await deps.store.oidcArtifacts.consume(this.model, key, deps.clock.now())) return;
      if (!SINGLE_USE.has(this.model)) return;
      // Another request spent it first (the provider's own check passed on both): RFC 6749 §4.1.2 — deny, and
      // revoke what the grant issued.
      const stored = await this.read(await deps.store.oidcArtifacts.find(this.model, key, deps.clock.now()));
      if (typeof stored?.grantId === 'string') await deps.store.oidcArtifacts.revokeByGrantId(stored.grantId);
      throw new errors.InvalidGrant(`${this.model} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      await deps.store.oidcArtifacts.destroy(this.model, storedId(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await deps.store.oidcArtifacts.revokeByGrantId(grantId);
    }

    private read(row: OidcArtifact | null): AdapterPayload | undefined {
      return row ? openArtifact(deps, row) : undefined;
    }
  };
}
