// Reads the app's fragment: `#activate=<code>` from a QR code, `#request=<txid>` from a notification.

export type AppHash =
  | { kind: 'none' }
  | { kind: 'activate'; fragment: string }
  | { kind: 'request'; txid: string; action: string };

/** What the fragment asks for; the code stays in the fragment (never sent to a server). */
export function readAppHash(hash: string): AppHash {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (params.get('activate')) return { kind: 'activate', fragment: hash.startsWith('#') ? hash : `#${hash}` };
  const txid = params.get('request');
  if (txid) return { kind: 'request', txid, action: params.get('action') ?? '' };
  return { kind: 'none' };
}
