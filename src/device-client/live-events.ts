// The device's live channel: GET /device/v1/events as Server-Sent Events, read over fetch streaming.
import { DEVICE_API_PREFIX, type DeviceEvent } from '../device-protocol/messages.ts';
import { requestSigningString, sha256Hex, signText } from '../device-protocol/signing.ts';
import { DeviceApiError } from './errors.ts';
import { createEventStreamParser } from './event-stream.ts';
import { type DeviceSession, deviceApiUrl, readJson, send } from './http.ts';

const EVENT_TYPES = ['request', 'resolved'];

/** Connects (then `onOpen`), calls `onEvent` for each event; resolves when the stream ends or `signal` aborts. */
export async function openEventStream(
  session: DeviceSession,
  onEvent: (event: DeviceEvent) => void,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  const signedAt = session.clock.now();
  // EventSource cannot send headers, so the server takes the credentials in the query, signed over the
  // bare route path (device API: GET /events).
  const text = requestSigningString('GET', `${DEVICE_API_PREFIX}/events`, signedAt, await sha256Hex(''));
  const sig = await signText(session.key, text);
  const { url, path } = deviceApiUrl(session.serverUrl, '/events');
  const query = new URLSearchParams({ id: session.deviceId, ts: String(signedAt), sig });
  let response: Response;
  try {
    response = await send(session.fetch, `${url}?${query}`, {
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
