// The live channel while the app is open: Server-Sent Events fed from the event bus (any node's pushes).
import type { FastifyReply } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { deviceTopic } from '../../core/enrollment/activate-device.ts';
import type { AuthTransaction } from '../../core/model.ts';
import type { DeviceEvent } from '../../device-protocol/messages.ts';
import { pendingRequest } from '../../methods/push/push-request.ts';

const HEARTBEAT_MS = 25_000;

/** Streams `request` and `resolved` events for one device until the connection closes. */
export function streamDeviceEvents(deps: CoreDeps, deviceId: string, reply: FastifyReply): void {
  const raw = reply.raw;
  // The head is written by hand (the reply is hijacked): carry over what hooks set on the reply, CORS included.
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string | number | string[]>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(': connected\n\n');
  const send = (event: DeviceEvent) => raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  const unsubscribe = deps.bus.subscribe(deviceTopic(deviceId), (message) => {
    const payload = message.payload as { type?: string; txid?: string; state?: string } | undefined;
    if (!payload?.txid) return;
    if (payload.type === 'resolved') {
      send({ type: 'resolved', txid: payload.txid, state: payload.state ?? '' });
      return;
    }
    const sendRequest = (tx: AuthTransaction | null) => {
      const request = tx && tx.deviceId === deviceId ? pendingRequest(tx) : null;
      if (request && tx?.state === 'pushed') send({ type: 'request', request });
    };
    // Pushed on this node: the message holds the row as committed. From another node: read it (a failed read
    // drops the live event only; the app lists pending requests whenever it opens).
    if (message.committed?.id === payload.txid) sendRequest(message.committed);
    else deps.store.transactions.get(payload.txid).then(sendRequest, () => {});
  });
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
