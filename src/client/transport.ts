// Sends requests over keep-alive HTTP or HTTPS connections (node:http/https, so a private CA can be trusted).
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface OutgoingRequest {
  method: string;
  /** Path plus query string. */
  target: string;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
}

export interface Transport {
  send(request: OutgoingRequest): Promise<HttpResponse>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

/** Thrown when the base URL cannot be used: not http(s), or carrying a path, query or credentials. */
export class TransportConfigError extends Error {
  override name = 'TransportConfigError';
}

/** Parses and checks a base URL such as `https://mfa.example.org:8443`. */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TransportConfigError(`baseUrl '${baseUrl}' is not a URL (expected http(s)://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TransportConfigError(`baseUrl '${baseUrl}' must start with http:// or https://`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.username !== '') {
    throw new TransportConfigError(`baseUrl '${baseUrl}' must be only scheme, host and port`);
  }
  return url;
}

/** A keep-alive transport to `url`; `ca` (PEM) replaces the default trust store for HTTPS. */
export function createTransport(url: URL, ca?: string): Transport {
  const secure = url.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, ...(ca !== undefined && { ca }) })
    : new http.Agent({ keepAlive: true });
  const request = secure ? https.request : http.request;
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  // URL keeps IPv6 literals in brackets; the socket wants the bare address.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');

  return {
    send(outgoing) {
      return new Promise<HttpResponse>((resolve, reject) => {
        const req = request(
          {
            agent,
            hostname,
            port,
            method: outgoing.method,
            path: outgoing.target,
            headers: outgoing.headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
        req.end(outgoing.body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
