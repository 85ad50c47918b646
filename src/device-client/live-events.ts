// The device's live channel: a signed call buys a single-use ticket, then GET /device/v1/events?ticket=… streams
// Server-Sent Events, read over fetch streaming.
import type { DeviceEvent, LiveTicketResponse } from '../device-protocol/messages.ts';
import { DeviceApiError } from './errors.ts';
import { createEventStreamParser } from './event-stream.ts';
import { type DeviceSession, deviceApiUrl, readJson, send, signedCall } from './http.ts';

const EVENT_TYPES = ['request', 'resolved'];

/** Connects (then `onOpen`), calls `onEvent` for each event; resolves when the stream ends or `signal` aborts. */
export async function openEventStream(
  session: DeviceSession,
  onEvent: (event: DeviceEvent) => void,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  // The stream's URL carries only a ticket (EventSource, which the app uses, cannot send headers): single use,
  // valid for seconds, bought with a signed call just before.
  let ticket: string;
  try {
    ({ ticket } = await signedCall<LiveTicketResponse>(session, 'POST', '/events/ticket'));
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  const { url, path } = deviceApiUrl(session.serverUrl, '/events');
  let response: Response;
  try {
    response = await send(session.fetch, `${url}?${new URLSearchParams({ ticket })}`, {
      headers: { accept: 'text/event-stream' },
      signal,
    });
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  if (!response.ok) await readJson(response, `GET ${path}`);
  if (!response.body) throw new DeviceApiError(response.status, 'BAD_RESPONSE', `GET ${path}: no body`);
  onOpen?.();
  const feed = createEventStreamParser(({ event, data }) => {
    if (!EVENT_TYPES.includes(event)) return;
    let parsed: DeviceEvent;
    try {
      parsed = JSON.parse(data) as DeviceEvent;
    } catch {
      return; // a garbled event is skipped; the next `pending()` shows the truth
    }
    if (parsed?.type === event) onEvent(parsed);
  });
  try {
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) feed(chunk);
  } catch (error) {
    if (signal.aborted) return;
    throw new DeviceApiError(0, 'UNREACHABLE', `GET ${path}: the stream broke (${(error as Error).message})`);
  }
}
