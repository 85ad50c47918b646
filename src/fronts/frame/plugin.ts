// QR codes as images (Duo's `activation_barcode` URLs point here) — only for this server's own activation links.
import type { FastifyPluginAsync } from 'fastify';

export interface FrameOptions {
  publicUrl: () => string;
}

export const framePlugin: FastifyPluginAsync<FrameOptions> = async (fastify, options) => {
  fastify.get<{ Querystring: { value?: string } }>('/frame/qr', async (request, reply) => {
    const value = request.query.value;
    // Not an open QR service: only links into this server's own app are drawn.
    if (typeof value !== 'string' || value.length > 512 || !value.startsWith(`${options.publicUrl()}/app/`)) {
      return reply
        .code(400)
        .send({ error: 'INVALID_INPUT', message: 'value must be an activation link of this server' });
    }
    const { default: QRCode } = await import('qrcode'); // loaded when a code is drawn (issue 14)
    const png = await QRCode.toBuffer(value, { type: 'png', margin: 2, scale: 6, errorCorrectionLevel: 'M' });
    return reply.type('image/png').header('cache-control', 'no-store').send(png);
  });
};
