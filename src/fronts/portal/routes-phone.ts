// The user's phone number for calls and SMS passcodes: added, or changed, only with the code texted to it. Like
// every change of sign-in methods it needs a recent step-up once the user has a factor; the user is e-mailed.
import type { FastifyInstance } from 'fastify';
import { confirmPhone, sendPhoneConfirmation } from '../../core/enrollment/phone-number.ts';
import { CountersignError } from '../../core/errors.ts';
import { maskedNumber, phoneNumberOf } from '../../methods/phone/phone-device.ts';
import { addRoute } from '../web-common/add-route.ts';
import { afterFirstFactor, changeAccess, selfActor } from './access.ts';
import type { PortalContext } from './context.ts';
import { notifyUser } from './notify-user.ts';
import { PhoneConfirmBody, PhoneSendBody } from './schemas.ts';

export function phoneRoutes(fastify: FastifyInstance, context: PortalContext): void {
  const { deps } = context;
  const requireTelephony = () => {
    if (!deps.telephony.enabled)
      throw new CountersignError('TELEPHONY_DISABLED', 'phone numbers are not enabled');
  };

  addRoute(fastify, {
    method: 'POST',
    url: '/phone/send',
    schema: { body: PhoneSendBody },
    handler: async (request) => {
      requireTelephony();
      const { user } = await changeAccess(context, request);
      await sendPhoneConfirmation(deps, user, request.body.number);
      return { sent: maskedNumber(request.body.number) };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/phone/confirm',
    schema: { body: PhoneConfirmBody },
    handler: async (request) => {
      requireTelephony();
      const { user, session, factors } = await changeAccess(context, request);
      const { phone, replaced } = await confirmPhone(deps, selfActor(user), user, request.body);
      await afterFirstFactor(context, session, factors);
      const number = maskedNumber(phoneNumberOf(phone)!);
      const change = replaced
        ? ({ kind: 'phone-changed', from: maskedNumber(phoneNumberOf(replaced) ?? ''), to: number } as const)
        : ({ kind: 'device-added', deviceName: `${phone.name} (${number})` } as const);
      await notifyUser(context.mailer, context.organization, user, change, deps.clock.now(), request.log);
      return { phone: { id: phone.id, number } };
    },
  });
}
