// The SAML example (examples/saml-app.ts) started with its one command: a user signs in through it end to end and
// signs out; and the same app against a Countersign set up with the command lines the example and docs/saml.md give.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createAgent, drivePrompt, passcode } from '../oidc/harness.ts';
import { freePort } from '../prompt/harness.ts';
import { cli, environment, type ServeProcess, startServe, stopServe } from '../support/serve-process.ts';
import { postedFields } from './front-tools.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/saml-app.ts', import.meta.url));
const children: ChildProcess[] = [];
const folders: string[] = [];
let serve: ServeProcess | undefined;
after(async () => {
  for (const child of children) child.kill();
  if (serve) await stopServe(serve);
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** Runs `npx node examples/saml-app.ts` (Node 24 directly) with `env`; resolves with its output once it listens. */
async function startExample(env: Record<string, string>): Promise<{ output: () => string }> {
  const keys = await mkdtemp(join(tmpdir(), 'countersign-saml-app-'));
  folders.push(keys);
  const child = spawn(process.execPath, [EXAMPLE], {
    env: { PATH: process.env.PATH, SAML_APP_KEY_DIR: keys, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Example SAML app:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the example exited (${code}): ${output}`)));
  });
  return { output: () => output };
}

test('examples/saml-app.ts: one command, sign in with the demo user and a bypass code, then sign out', async () => {
  const [appPort, countersignPort] = [await freePort(), await freePort()];
  const { output } = await startExample({ PORT: String(appPort), COUNTERSIGN_PORT: String(countersignPort) });
  const bypass = /single-use codes as the second factor:\n\s+([0-9]+)/.exec(output())?.[1];
  assert.ok(bypass, output());
  const app = `http://localhost:${appPort}`;

  const login = await fetch(`${app}/login`, { redirect: 'manual' });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
  const agent = createAgent(`http://localhost:${countersignPort}`);
  const page = await agent.open(String(login.headers.get('location')));
  assert.match(page.body, /Sign in to Example SAML app/);
  const prompt = await agent.submit(`${page.url.pathname}/password`, {
    username: 'demo',
    password: 'demo-password',
  });
  const done = await drivePrompt(
    agent,
    prompt,
    passcode(() => bypass),
  );
  // The browser posts our Response to the app's ACS; node-saml checks it there.
  const { action, fields } = postedFields(done.body);
  assert.equal(action, `${app}/acs`);
  const acs = await fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  assert.equal(acs.status, 303, await acs.clone().text());
  const welcome = await fetch(new URL(String(acs.headers.get('location')), app), {
    headers: { cookie },
    redirect: 'manual',
  });
  assert.equal(welcome.headers.get('location'), '/');
  const home = await (await fetch(`${app}/`, { headers: { cookie } })).text();
  assert.match(home, /Hello, Demo User/);
  assert.match(home, /Signed in as <code>demo@example\.test<\/code>/);
  assert.match(home, /classes:PasswordProtectedTransport/, 'the authentication context of a generic SP');

  // Sign out: the app's signed LogoutRequest, our LogoutResponse back at the app.
  const logout = await fetch(`${app}/logout`, { headers: { cookie }, redirect: 'manual' });
  const back = await agent.open(String(logout.headers.get('location')));
  const answer = postedFields(back.body);
  assert.equal(
    answer.action,
    `${app}/slo`,
    'the LogoutResponse goes where the app metadata says (HTTP-POST)',
  );
  const slo = await fetch(answer.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(answer.fields),
  });
  const answered = await slo.text();
  assert.match(answered, /You are signed out\./);
  assert.match(await (await fetch(`${app}/`, { headers: { cookie } })).text(), /Sign in with Countersign/);
});

test('examples/saml-app.ts against a Countersign set up with `countersign app add … --metadata`', async () => {
  const data = await mkdtemp(join(tmpdir(), 'countersign-saml-example-'));
  folders.push(data);
  const env = environment({ COUNTERSIGN_DATA_DIR: data });
  await cli(env, ['init']);
  serve = await startServe(env);
  const appPort = await freePort();
  const app = `http://localhost:${appPort}`;
  await startExample({ PORT: String(appPort), SAML_IDP_METADATA: `${serve.url}/saml/metadata` });
  // curl -o saml-app-metadata.xml http://localhost:3000/metadata
  const metadata = join(data, 'saml-app-metadata.xml');
  await writeFile(metadata, await (await fetch(`${app}/metadata`)).text());
  const added = await cli(env, [
    'app',
    'add',
    'Example SAML app',
    '--type',
    'saml',
    '--metadata',
    metadata,
    '--nameid',
    'email',
    '--attribute',
    'email=email',
    '--attribute',
    'name=realName',
  ]);
  const sp = (added.saml as { sp: { entityId: string; acs: Array<{ url: string }> } }).sp;
  assert.equal(sp.entityId, `${app}/metadata`);
  assert.equal(sp.acs[0]?.url, `${app}/acs`);
  // The app's signed AuthnRequest is accepted: the browser lands on the sign-in page for the app.
  const login = await fetch(`${app}/login`, { redirect: 'manual' });
  const page = await createAgent(serve.url).open(String(login.headers.get('location')));
  assert.equal(page.status, 200, page.body);
  assert.match(page.body, /Sign in to Example SAML app/);
});
