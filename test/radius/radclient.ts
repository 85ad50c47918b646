// Runs FreeRADIUS's `radclient` (Debian freeradius-utils) against a test server and parses what it printed.
import { execFile, spawnSync } from 'node:child_process';

/** True when a `radclient` binary is on PATH. */
export function radclientAvailable(): boolean {
  const result = spawnSync('radclient', ['-h'], { stdio: 'ignore' });
  return result.error === undefined;
}

export interface RadclientOptions {
  port: number;
  secret: string;
  /** Attribute lines as radclient reads them, e.g. `User-Name = "alice"`, `Message-Authenticator = 0x00`. */
  attributes: string[];
  /** Total number of sends (radclient -r); 1 means no retransmission. */
  tries?: number;
  /** Seconds to wait for a reply before each retry (radclient -t). */
  timeoutSeconds?: number;
  /** radclient's command: `auth` (Access-Request, the default) or `status` (Status-Server, RFC 5997). */
  command?: 'auth' | 'status';
}

export interface RadclientResult {
  /** The reply radclient accepted as valid ("Access-Accept", ...), or null when it got none. */
  code: string | null;
  /** Reply attributes in order, string values unquoted. */
  attributes: { name: string; value: string }[];
  /** How many times radclient sent the request (first send plus retransmissions). */
  sends: number;
  stdout: string;
  stderr: string;
}

/** Runs one radclient exchange asynchronously (the server under test lives in this process's event loop). */
export function runRadclient(options: RadclientOptions): Promise<RadclientResult> {
  const args = [
    '-x',
    '-4',
    '-r',
    String(options.tries ?? 1),
    '-t',
    String(options.timeoutSeconds ?? 1),
    `127.0.0.1:${options.port}`,
    options.command ?? 'auth',
    options.secret,
  ];
  return new Promise((resolve, reject) => {
    const child = execFile('radclient', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      // radclient exits 1 when it gets no (valid) reply or a reject: that is a result, not a failure.
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ ...parseRadclientOutput(stdout), stdout, stderr });
    });
    child.stdin?.end(`${options.attributes.join(', ')}\n`);
  });
}

/** Parses radclient -x output: the "Received <Code> Id ..." line and the tab-indented attributes after it. */
export function parseRadclientOutput(stdout: string): Pick<RadclientResult, 'code' | 'attributes' | 'sends'> {
  const lines = stdout.split('\n');
  const sends = lines.filter((line) => /^Sent (Access-Request|Status-Server) /.test(line)).length;
  const index = lines.findIndex((line) => /^Received \S+ Id \d+/.test(line));
  if (index === -1) return { code: null, attributes: [], sends };
  const code = /^Received (\S+)/.exec(lines[index]!)![1]!;
  const attributes: { name: string; value: string }[] = [];
  for (const line of lines.slice(index + 1)) {
    const match = /^\t(\S+) = (.*)$/.exec(line);
    if (!match) break;
    attributes.push({ name: match[1]!, value: unquote(match[2]!) });
  }
  return { code, attributes, sends };
}

function unquote(value: string): string {
  if (!value.startsWith('"') || !value.endsWith('"')) return value;
  return value
    .slice(1, -1)
    .replace(/\\(.)/g, (_all, character: string) => (character === 'n' ? '\n' : character));
}
