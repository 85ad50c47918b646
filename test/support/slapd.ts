// Starts a private OpenLDAP slapd (mdb, slapd.conf, LDAP + LDAPS on free 127.0.0.1 ports) loaded with a test tree.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';

const run = promisify(execFile);

export const SLAPD_PATH = '/usr/sbin/slapd';
export const SUFFIX = 'dc=example,dc=org';
export const ADMIN_DN = `cn=admin,${SUFFIX}`;
export const ADMIN_PASSWORD = 'admin-pw';
export const SVC_DN = `cn=svc,${SUFFIX}`;
export const SVC_PASSWORD = 'svc-pw';
export const PEOPLE_DN = `ou=people,${SUFFIX}`;
export const GROUPS_DN = `ou=groups,${SUFFIX}`;
/** A uid holding filter metacharacters; '*' and ')' need no escaping in a DN (RFC 4514 §2.4). */
export const WEIRD_UID = 'star*paren)';

/** `false` when slapd is installed, else the reason to pass as a test's `skip` option. */
export const SLAPD_MISSING: false | string = existsSync(SLAPD_PATH) ? false : 'slapd not installed';

export interface NewUser {
  uid: string;
  password: string;
  cn: string;
  sn?: string;
  mail?: string;
  telephoneNumber?: string;
}

export interface Slapd {
  url: string;
  ldapsUrl: string;
  caPem: string;
  /** Adds a user under ou=people as the root DN. */
  addUser(user: NewUser): Promise<string>;
  /** Deletes uid=<uid>,ou=people. */
  removeUser(uid: string): Promise<void>;
  /** Replaces one attribute's values on any entry. */
  replaceAttribute(dn: string, attribute: string, values: string[]): Promise<void>;
  stop(): Promise<void>;
}

const CONF = (dir: string) => `
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCertificateFile ${dir}/cert.pem
TLSCertificateKeyFile ${dir}/key.pem
database mdb
maxsize 104857600
suffix "${SUFFIX}"
rootdn "${ADMIN_DN}"
rootpw ${ADMIN_PASSWORD}
directory ${dir}/db
access to attrs=userPassword
  by anonymous auth
  by * none
access to *
  by dn.exact="${SVC_DN}" read
  by self read
  by * none
`;

function personLdif(u: NewUser): string {
  const lines = [
    `dn: uid=${u.uid},${PEOPLE_DN}`,
    'objectClass: inetOrgPerson',
    `uid: ${u.uid}`,
    `cn: ${u.cn}`,
    `sn: ${u.sn ?? u.cn.split(' ').at(-1)}`,
    `userPassword: ${u.password}`,
  ];
  if (u.mail) lines.push(`mail: ${u.mail}`);
  if (u.telephoneNumber) lines.push(`telephoneNumber: ${u.telephoneNumber}`);
  return lines.join('\n');
}

const people = (uid: string) => `uid=${uid},${PEOPLE_DN}`;

function treeLdif(): string {
  return [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example`,
    `dn: ${SVC_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: svc\nuserPassword: ${SVC_PASSWORD}`,
    `dn: ${PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ${GROUPS_DN}\nobjectClass: organizationalUnit\nou: groups`,
    personLdif({
      uid: 'alice',
      password: 'alice-pw',
      cn: 'Alice Liddell',
      mail: 'alice@example.org',
      telephoneNumber: '+1 555 0100',
    }),
    // bob has a displayName (preferred over cn) and only a mobile number (the phone fallback)
    `${personLdif({ uid: 'bob', password: 'bob-pw', cn: 'Bob Builder', mail: 'bob@example.org' })}\ndisplayName: Bobby B\nmobile: +1 555 0101`,
    personLdif({ uid: WEIRD_UID, password: 'weird-pw', cn: 'Weird Name' }),
    `dn: cn=vpn-users,${GROUPS_DN}\nobjectClass: groupOfNames\ncn: vpn-users\nmember: ${people('alice')}`,
    `dn: cn=staff,${GROUPS_DN}\nobjectClass: groupOfNames\ncn: staff\nmember: ${people('alice')}\nmember: ${people('bob')}`,
    `dn: cn=auditors,${GROUPS_DN}\nobjectClass: groupOfUniqueNames\ncn: auditors\nuniqueMember: ${people('bob')}`,
    `dn: cn=developers,${GROUPS_DN}\nobjectClass: posixGroup\ncn: developers\ngidNumber: 5000\nmemberUid: alice`,
  ].join('\n\n');
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilListening(child: ChildProcess, ports: number[], stderr: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${stderr()}`);
    const up = await Promise.all(ports.map(canConnect));
    if (up.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`slapd did not listen on ${ports.join(', ')}: ${stderr()}`);
}

async function makeCertificate(dir: string): Promise<string> {
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return readFile(join(dir, 'cert.pem'), 'utf8');
}

async function asAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url, connectTimeout: 5000, timeout: 5000 });
  try {
    await client.bind(ADMIN_DN, ADMIN_PASSWORD);
    return await work(client);
  } finally {
    await client.unbind().catch(() => {});
  }
}

/** Starts slapd with the test tree; call stop() in after(). */
export async function startSlapd(): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'countersign-slapd-'));
  await mkdir(join(dir, 'db'));
  const caPem = await makeCertificate(dir);
  const conf = join(dir, 'slapd.conf');
  await writeFile(conf, CONF(dir));
  await writeFile(join(dir, 'tree.ldif'), `${treeLdif()}\n`);
  await run(SLAPD_PATH.replace('slapd', 'slapadd'), ['-q', '-f', conf, '-l', join(dir, 'tree.ldif')]).catch(
    // slapadd is a link to slapd that switches on argv[0]; fall back to the tool mode flag
    () => run(SLAPD_PATH, ['-T', 'add', '-q', '-f', conf, '-l', join(dir, 'tree.ldif')]),
  );
  const [port, ldapsPort] = [await freePort(), await freePort()];
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
  // -d keeps slapd in the foreground so the child process is slapd itself and dies with stop()
  const child = spawn(SLAPD_PATH, ['-f', conf, '-h', `${url}/ ${ldapsUrl}/`, '-d', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(child, [port, ldapsPort], () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    ldapsUrl,
    caPem,
    stop,
    addUser: (user) =>
      asAdmin(url, async (client) => {
        const dn = people(user.uid);
        const attributes: Record<string, string[]> = {
          objectClass: ['inetOrgPerson'],
          uid: [user.uid],
          cn: [user.cn],
          sn: [user.sn ?? user.cn],
          userPassword: [user.password],
        };
        if (user.mail) attributes.mail = [user.mail];
        if (user.telephoneNumber) attributes.telephoneNumber = [user.telephoneNumber];
        await client.add(dn, attributes);
        return dn;
      }),
    removeUser: (uid) => asAdmin(url, (client) => client.del(people(uid))),
    replaceAttribute: (dn, attribute, values) =>
      asAdmin(url, (client) =>
        client.modify(
          dn,
          new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values }) }),
        ),
      ),
  };
}
