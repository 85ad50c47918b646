// The OIDC example (examples/oidc-app.ts) started with its one command: a user signs in through it end to end.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../prompt/harness.ts';
import { createAgent, drivePrompt, passcode } from './harness.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/oidc-app.ts', import.meta.url));
let child: ChildProcess | undefined;
after(() => {
  child?.kill();
});

test('examples/oidc-app.ts: one command, then sign in with the demo user and a bypass code', async () => {
  const [appPort, countersignPort] = [await freePort(), await freePort()];
  child = spawn(process.execPath, [EXAMPLE], {
    env: { PATH: process.env.PATH, PORT: String(appPort), COUNTERSIGN_PORT: String(countersignPort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child!.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Example app:')) resolve();
    });
    child!.once('exit', (code) => reject(new Error(`the example exited (${code}): ${output}`)));
  });
  const bypass = /single-use codes as the second factor:\n\s+([0-9]+)/.exec(output)?.[1];
  assert.ok(bypass, output);
  const app = `http://localhost:${appPort}`;

  const login = await fetch(`${app}/login`, { redirect: 'manual' });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
  const agent = createAgent(`http://localhost:${countersignPort}`);
  const page = await agent.open(String(login.headers.get('location')));
  assert.match(page.body, /Sign in to Example app/);
  const prompt = await agent.submit(`${page.url.pathname}/sign-in`, {
    username: 'demo',
    password: 'demo-password',
  });
  const callback = await drivePrompt(
    agent,
    prompt,
    passcode(() => bypass),
  );
  assert.equal(callback.url.origin, app);
  const back = await fetch(callback.url, { headers: { cookie }, redirect: 'manual' });
  assert.equal(back.headers.get('location'), '/');
  const home = await (await fetch(`${app}/`, { headers: { cookie } })).text();
  assert.match(home, /Hello, Demo User/);
  assert.match(home, /\[&#34;mfa&#34;,&#34;otp&#34;,&#34;pwd&#34;\]/);
  assert.match(home, /Groups: staff/);
});
