// A `fetch` over node:https that trusts one test CA (Node's global fetch takes no CA without the undici package).
import { request } from 'node:https';

/** A fetch for clients that accept one (the device client): text bodies, the CA `caPem` trusted. */
export function fetchTrusting(caPem: string): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? init.body : undefined;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(
        url,
        { method: init.method ?? 'GET', headers: Object.fromEntries(headers), ca: caPem },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (typeof value === 'string') responseHeaders.set(name, value);
            }
            resolve(
              new Response(Buffer.concat(chunks), {
                status: incoming.statusCode ?? 0,
                headers: responseHeaders,
              }),
            );
          });
        },
      );
      outgoing.on('error', reject);
      init.signal?.addEventListener('abort', () =>
        outgoing.destroy(new DOMException('aborted', 'AbortError')),
      );
      outgoing.end(body);
    });
  }) as typeof fetch;
}
