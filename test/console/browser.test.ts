// The console in Chromium, one role at a time: the owner manages administrators; an administrator cannot; the
// help desk looks a user up, unlocks them and issues a bypass code within its limits, and the server refuses (403,
// logged) what it calls beyond them from the page itself; read-only changes nothing. axe-core finds no violation
// on any console page, light or dark.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { setUserStatus } from '../../src/core/admin/create-user.ts';
import type { User } from '../../src/core/model.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { axeViolations } from '../browser/support/page-tools.ts';
import { openPortalWorld, type PortalWorld } from '../portal/support.ts';
import { createTestUser } from '../support/server.ts';
import { callFromPage, navigation, signInToConsole } from './browser-support.ts';
import { createTestAdmin, type TestAdmin } from './support.ts';

const skip = chromiumMissing();
let world: PortalWorld;
let owner: TestAdmin;
let administrator: TestAdmin;
let helpDesk: TestAdmin;
let readOnly: TestAdmin;
let casey: User;

before(async () => {
  if (skip) return;
  world = await openPortalWorld();
  const deps = world.server.deps;
  owner = await createTestAdmin(deps, 'olivia', 'owner');
  administrator = await createTestAdmin(deps, 'adam', 'administrator');
  helpDesk = await createTestAdmin(deps, 'hana', 'help-desk');
  readOnly = await createTestAdmin(deps, 'rui', 'read-only');
  casey = await createTestUser(deps, 'casey', { realName: 'Casey Jones', email: 'casey@example.edu' });
  await createTestUser(deps, 'rowan');
});
after(async () => {
  if (!skip) await world.close();
});

async function freshPage(): Promise<Page> {
  const context = await world.browser.newContext({ viewport: { width: 1100, height: 900 } });
  return context.newPage();
}

async function noAxeViolations(page: Page, where: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    // No motion: cards fade their background for 0.15 s, and axe must not judge colours mid-fade.
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `axe on ${where} (${scheme}): ${JSON.stringify(violations, null, 1)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const h1 = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

test('the owner manages administrators, and every console page passes axe in light and dark', {
  skip,
}, async () => {
  const page = await freshPage();
  await page.goto(`${world.url}/admin/`);
  await h1(page, 'Sign in to the Countersign console');
  await noAxeViolations(page, 'sign-in');
  await page.getByLabel('Username').fill('olivia');
  await page.getByLabel('Password').fill('wrong password');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').waitFor();
  await signInToConsole(page, world.url, world.server, owner);
  assert.deepEqual(await navigation(page), [
    'Dashboard',
    'Users',
    'Applications',
    'Rollout',
    'Token import',
    'Logs',
    'Administrators',
  ]);
  for (const [hash, heading] of [
    ['users', 'Users'],
    ['applications', 'Applications'],
    ['rollout', 'Rollout'],
    ['tokens', 'Token import'],
    ['logs', 'Logs'],
    ['administrators', 'Administrators'],
    ['dashboard', 'Dashboard'],
  ] as const) {
    await page.goto(`${world.url}/admin/#/${hash}`);
    await h1(page, heading);
    await page.waitForLoadState('networkidle');
    await noAxeViolations(page, hash);
  }
  await page.goto(`${world.url}/admin/#/users/${casey.id}`);
  await h1(page, 'casey');
  await page.getByRole('heading', { name: 'Recent sign-ins' }).waitFor();
  await noAxeViolations(page, 'user detail');

  await page.goto(`${world.url}/admin/#/administrators`);
  await h1(page, 'Administrators');
  await page.getByLabel('Username').fill('rowan');
  await page.getByLabel('Role', { exact: true }).selectOption('Read-only');
  await page.getByRole('button', { name: 'Add administrator' }).click();
  await page.getByRole('cell', { name: 'rowan', exact: true }).first().waitFor();
  const rowan = await world.server.deps.store.users.findByName('rowan');
  assert.equal((await world.server.deps.store.administrators.get(rowan!.id))?.role, 'read-only');
  await page.getByLabel('Role of rowan').selectOption('Help Desk');
  await page.getByRole('status').filter({ hasText: 'rowan is now Help Desk.' }).waitFor();
  assert.equal((await world.server.deps.store.administrators.get(rowan!.id))?.role, 'help-desk');
  await page.getByRole('button', { name: 'Remove rowan as administrator' }).click();
  await page.getByRole('status').filter({ hasText: 'rowan is no longer an administrator.' }).waitFor();
  assert.equal(await world.server.deps.store.administrators.get(rowan!.id), null);
  const log = await world.server.deps.store.audit.tail({ limit: 50 });
  assert.ok(log.some((entry) => entry.action === 'admin.add' && entry.actor === 'console:olivia'));
  await page.context().close();
});

test('an administrator sees no Administrators screen, and the server refuses the call from the page', {
  skip,
}, async () => {
  const page = await freshPage();
  await signInToConsole(page, world.url, world.server, administrator);
  assert.ok(!(await navigation(page)).includes('Administrators'));
  await page.goto(`${world.url}/admin/#/administrators`);
  await h1(page, 'Dashboard');
  const refused = await callFromPage(page, 'GET', '/v1/admins');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 40301);
  const log = await world.server.deps.store.audit.tail({ limit: 50 });
  assert.ok(
    log.some(
      (e) =>
        e.action === 'admin.forbidden' && e.actor === 'console:adam' && e.detail.call === 'GET /v1/admins',
    ),
  );
  await page.context().close();
});

test('the help desk looks a user up, unlocks them, issues one bypass code, and is refused beyond that', {
  skip,
}, async () => {
  await setUserStatus(world.server.deps, 'test', casey, 'locked_out');
  const page = await freshPage();
  await signInToConsole(page, world.url, world.server, helpDesk);
  assert.deepEqual(await navigation(page), ['Users']);
  await h1(page, 'Users');
  await page.getByLabel('Find a user').pressSequentially('cas');
  await page.getByRole('link', { name: 'casey', exact: true }).click();
  await h1(page, 'casey');
  assert.equal(await page.getByRole('button', { name: 'Disable' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Sign out everywhere' }).count(), 0);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('status').filter({ hasText: 'Unlocked.' }).waitFor();
  assert.equal((await world.server.deps.store.users.get(casey.id))?.status, 'active');

  await page.getByRole('button', { name: 'Issue codes' }).click();
  const codes = page.locator('ul.codes li');
  await codes.first().waitFor();
  assert.equal(await codes.count(), 1);
  assert.match((await codes.first().textContent()) ?? '', /^[0-9]+$/);
  await noAxeViolations(page, 'help desk user detail with a code');

  // Beyond the limits, or a call the role lacks, straight from the page with its own cookie: 403 and logged.
  const tooMany = await callFromPage(page, 'POST', `/v1/users/${casey.id}/bypass_codes`, {
    count: '5',
    reuse_count: '1',
    valid_secs: '3600',
  });
  assert.equal(tooMany.status, 403);
  assert.match(String(tooMany.body.message_detail), /at most 1 bypass code/);
  const forever = await callFromPage(page, 'POST', `/v1/users/${casey.id}/bypass_codes`, {
    count: '1',
    reuse_count: '0',
    valid_secs: '3600',
  });
  assert.equal(forever.status, 403);
  const remove = await callFromPage(page, 'DELETE', `/v1/users/${casey.id}`);
  assert.equal(remove.status, 403);
  assert.ok(await world.server.deps.store.users.get(casey.id), 'casey still exists');
  const disable = await callFromPage(page, 'POST', `/v1/users/${casey.id}`, { status: 'disabled' });
  assert.equal(disable.status, 403);
  assert.equal((await world.server.deps.store.users.get(casey.id))?.status, 'active');
  const refusals = (await world.server.deps.store.audit.tail({ limit: 100 })).filter(
    (e) => e.action === 'admin.forbidden' && e.actor === 'console:hana',
  );
  assert.equal(refusals.length, 4, JSON.stringify(refusals.map((e) => e.detail)));
  assert.ok(refusals.every((e) => e.result === 'forbidden'));
  await page.context().close();
});

test('read-only sees but changes nothing; the server refuses a change from the page', { skip }, async () => {
  const page = await freshPage();
  await signInToConsole(page, world.url, world.server, readOnly);
  assert.deepEqual(await navigation(page), ['Dashboard', 'Users', 'Rollout', 'Logs']);
  await page.goto(`${world.url}/admin/#/users`);
  await h1(page, 'Users');
  assert.equal(await page.getByRole('heading', { name: 'Add a user' }).count(), 0);
  await page.goto(`${world.url}/admin/#/users/${casey.id}`);
  await h1(page, 'casey');
  for (const name of ['Disable', 'Sign out everywhere', 'Issue codes', 'Save']) {
    assert.equal(await page.getByRole('button', { name }).count(), 0, name);
  }
  const create = await callFromPage(page, 'POST', '/v1/users', { username: 'sneaky' });
  assert.equal(create.status, 403);
  assert.equal(await world.server.deps.store.users.findByName('sneaky'), null);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await h1(page, 'Sign in to the Countersign console');
  const after = await callFromPage(page, 'GET', '/v1/users');
  assert.equal(after.status, 401);
  await page.context().close();
});
