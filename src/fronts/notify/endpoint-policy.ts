// Which push endpoints the server will POST to: https only, plus http://127.0.0.1 when tests ask for it.

/** Why an endpoint was refused, or null when it may be used. */
export function refuseEndpoint(endpoint: string, allowHttpEndpoints: boolean): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'the push endpoint is not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'the push endpoint carries credentials';
  // A device chooses its endpoint: never let it aim the server at an address inside the network (SSRF).
  if (url.protocol === 'https:' && isInternalHost(url.hostname))
    return 'the push endpoint is an internal address';
  if (url.protocol === 'https:') return null;
  // RFC 8030 §8: push messages travel over HTTPS; plain HTTP is only for a local fake push service.
  if (url.protocol === 'http:' && allowHttpEndpoints && url.hostname === '127.0.0.1') return null;
  return allowHttpEndpoints
    ? 'the push endpoint must use https:// (or http://127.0.0.1 in tests)'
    : 'the push endpoint must use https://';
}

/** Loopback, private, link-local and unique-local literals, and names that only resolve inside a network. */
export function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  ) {
    return true;
  }
  if (!host.includes('.') && !host.includes(':')) return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (!host.includes(':')) return false;
  return host === '::1' || host === '::' || /^(fc|fd|fe[89ab])/.test(host) || host.startsWith('::ffff:');
}
