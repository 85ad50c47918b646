// Duo's phone endpoints: list, read, delete, and a single-use activation link for the phone's user.
import { Type } from '@sinclair/typebox';
import { deleteDevice } from '../../core/admin/delete-device.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { createActivation } from '../../core/enrollment/create-activation.ts';
import { CountersignError } from '../../core/errors.ts';
import type { Authenticator } from '../../core/model.ts';
import type { AuthenticatorFilter } from '../../core/repositories.ts';
import { activationLink } from '../../device-protocol/activation-link.ts';
import { describePhone, PHONE_KINDS, PhoneSchema } from './objects.ts';
import { ownerOf, owners } from './owners.ts';
import { Id, NoParams, Params, paging, Whole } from './params.ts';
import { type AdminRoute, pageMetadata, route } from './route.ts';

/** Duo's list maximum for phones. */
const PHONES_MAX = 500;

const PHONES: AuthenticatorFilter = { kinds: PHONE_KINDS, hardware: false };

const PhonePath = Params({ phone_id: Id("The phone's id.") });

/** The phone `id` (a software authenticator that is not a security key), or Duo's 404. */
async function requirePhone(deps: Pick<CoreDeps, 'store'>, id: string): Promise<Authenticator> {
  const device = await deps.store.authenticators.get(id);
  if (!device || device.serial !== null || !(PHONE_KINDS as readonly string[]).includes(device.kind)) {
    throw new CountersignError('DEVICE_NOT_FOUND', id);
  }
  return device;
}

const listPhones = route({
  method: 'GET',
  path: '/v1/phones',
  grant: 'read-resource',
  summary: 'Every phone (Authenticator app, authenticator app, phone number) in id order, a page at a time.',
  params: Params(paging(PHONES_MAX)),
  pathParams: NoParams,
  response: Type.Array(PhoneSchema),
  paged: true,
  async handler({ deps }, { params }) {
    const [devices, total] = await Promise.all([
      deps.store.authenticators.list(PHONES, params),
      deps.store.authenticators.count(PHONES),
    ]);
    const users = await owners(deps, devices);
    return {
      response: devices.map((device) => describePhone(device, ownerOf(users, device))),
      metadata: pageMetadata(total, params.offset, params.limit, devices.length),
    };
  },
});

const getPhone = route({
  method: 'GET',
  path: '/v1/phones/{phone_id}',
  grant: 'read-resource',
  summary: 'One phone with its user.',
  params: NoParams,
  pathParams: PhonePath,
  response: PhoneSchema,
  async handler({ deps }, { path }) {
    const device = await requirePhone(deps, path.phone_id);
    return { response: describePhone(device, ownerOf(await owners(deps, [device]), device)) };
  },
});

const deletePhone = route({
  method: 'DELETE',
  path: '/v1/phones/{phone_id}',
  grant: 'write-resource',
  summary:
    "Deletes a phone (its credentials stop working; the user's remembered browsers end); a repeat succeeds.",
  params: NoParams,
  pathParams: PhonePath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    const device = await deps.store.authenticators.get(path.phone_id);
    if (device) await requirePhone(deps, device.id);
    await deleteDevice(deps, actor, path.phone_id);
    return { response: '' };
  },
});

const activationUrl = route({
  method: 'POST',
  path: '/v1/phones/{phone_id}/activation_url',
  grant: 'write-resource',
  summary:
    "A single-use link that activates the Countersign Authenticator for the phone's user; for an Authenticator app it replaces that app once used.",
  params: Params({
    valid_secs: Whole({
      minimum: 60,
      maximum: 30 * 86_400,
      default: 86_400,
      description: 'How long the link works, in seconds.',
    }),
  }),
  pathParams: PhonePath,
  response: Type.Object({
    activation_url: Type.String(),
    activation_barcode: Type.String({ description: 'A QR code image of the link.' }),
    valid_secs: Type.Integer(),
  }),
  async handler({ deps, publicUrl }, { actor, params, path }) {
    const device = await requirePhone(deps, path.phone_id);
    const user = device.userId === null ? null : await deps.store.users.get(device.userId);
    if (!user) throw new CountersignError('DEVICE_NOT_FOUND', path.phone_id);
    const { code } = await createActivation(deps, actor, user, {
      validSeconds: params.valid_secs,
      replacesDeviceId: device.kind === 'push' ? device.id : null,
      byAdministrator: true,
    });
    const base = publicUrl();
    const link = activationLink(base, code);
    return {
      response: {
        activation_url: link,
        activation_barcode: `${base}/frame/qr?value=${encodeURIComponent(link)}`,
        valid_secs: params.valid_secs,
      },
    };
  },
});

export const PHONE_ROUTES: AdminRoute[] = [listPhones, getPhone, deletePhone, activationUrl];
