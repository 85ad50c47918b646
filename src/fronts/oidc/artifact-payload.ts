// The sealed payload of a stored provider artifact. Apart from the adapter so that reading a user's sessions at
// sign-out (back-channel logout, loaded with the server) does not load oidc-provider and Koa (issue 14: idle memory).
import type { AdapterPayload } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import type { OidcArtifact } from '../../core/model.ts';
import { open } from '../../crypto/secret-box.ts';

/** The context a payload is sealed under: bound to its model and stored id, so a row cannot be moved. */
export function payloadContext(model: string, id: string): string {
  return `oidc:${model}:${id}`;
}

/** The payload of a stored artifact, with its consumed mark (epoch seconds) as the provider expects it. */
export function openArtifact(deps: Pick<CoreDeps, 'ring'>, row: OidcArtifact): AdapterPayload {
  const payload = JSON.parse(
    open(deps.ring, row.payloadSealed, payloadContext(row.model, row.id)).toString('utf8'),
  ) as AdapterPayload;
  return row.consumedAt === null ? payload : { ...payload, consumed: Math.floor(row.consumedAt / 1000) };
}
