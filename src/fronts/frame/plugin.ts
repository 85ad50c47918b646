// QR codes as images (Duo's `activation_barcode` URLs point here) — only for this server's own activation links.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { CountersignError } from '../../core/errors.ts';
import { addRoute } from '../web-common/add-route.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';

export interface FrameOptions {
  publicUrl: () => string;
}

/** GET /frame/qr: the link to draw. */
export const QrQuery = Type.Object({ value: Type.String({ minLength: 1, maxLength: 512 }) });

export const framePlugin: FastifyPluginAsync<FrameOptions> = async (fastify, options) => {
  installJsonErrors(fastify);
  addRoute(fastify, {
    method: 'GET',
    url: '/frame/qr',
    schema: { querystring: QrQuery },
    handler: async (request, reply) => {
      const { value } = request.query;
      // Not an open QR service: only links into this server's own app are drawn.
      if (!value.startsWith(`${options.publicUrl()}/app/`)) {
        throw new CountersignError(
          'INVALID_REQUEST',
          'the query parameter value must be an activation link of this server',
        );
      }
      const { default: QRCode } = await import('qrcode'); // loaded when a code is drawn (issue 14)
      const png = await QRCode.toBuffer(value, {
        type: 'png',
        margin: 2,
        scale: 6,
        errorCorrectionLevel: 'M',
      });
      return reply.type('image/png').header('cache-control', 'no-store').send(png);
    },
  });
};
