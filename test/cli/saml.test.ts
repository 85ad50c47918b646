// `countersign app add --type saml …` through runCli: SP metadata import, a Workday SP typed by hand, the Entra ID
// preset, NameID and attribute mapping, and options refused with exit code 2.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SAML } from '@node-saml/node-saml';
import { rsaPair } from '../saml/fixture.ts';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
});
after(() => cli.remove());

test('init makes the SAML signing key (0600) and certificate; app add --metadata imports an SP, app show lists it', async () => {
  const { statSync } = await import('node:fs');
  assert.equal(statSync(join(cli.dataDir, 'saml-signing.key')).mode & 0o777, 0o600);
  assert.equal(statSync(join(cli.dataDir, 'saml-signing.crt')).mode & 0o777, 0o600);
  const pair = await rsaPair('adaptive.example.com');
  const metadata = new SAML({
    issuer: 'https://adaptive.example.com/sp',
    callbackUrl: 'https://adaptive.example.com/acs',
    idpCert: pair.certificatePem,
    privateKey: pair.privateKeyPem,
  }).generateServiceProviderMetadata(null, pair.certificatePem);
  const file = join(cli.dataDir, 'sp.xml');
  writeFileSync(file, metadata);
  const added = await cli.json([
    'app',
    'add',
    'Adaptive Insights',
    '--type',
    'saml',
    '--metadata',
    file,
    '--nameid',
    'email',
    '--attribute',
    'mail=email',
    '--attribute',
    'memberOf=groups',
  ]);
  const saml = added.saml as { sp: Record<string, unknown>; idp: Record<string, unknown> };
  assert.equal(saml.sp.entityId, 'https://adaptive.example.com/sp');
  assert.deepEqual(saml.sp.nameId, { format: 'emailAddress', source: 'email' });
  assert.deepEqual(saml.sp.attributes, [
    { name: 'mail', source: 'email' },
    { name: 'memberOf', source: 'groups' },
  ]);
  assert.equal(saml.idp.entityId, 'http://127.0.0.1:8080/saml/metadata');
  assert.equal(saml.idp.ssoUrl, 'http://127.0.0.1:8080/saml/sso');
  const shown = await cli.json<{ type: string; saml: { entityId: string } }>([
    'app',
    'show',
    'Adaptive Insights',
  ]);
  assert.equal(shown.type, 'saml');
  assert.equal(shown.saml.entityId, 'https://adaptive.example.com/sp');
});

test('app add --preset workday takes the entity ID and ACS typed by hand; --preset entra has fixed ones', async () => {
  const workday = await cli.json([
    'app',
    'add',
    'Workday',
    '--type',
    'saml',
    '--preset',
    'workday',
    '--entity-id',
    'http://www.workday.com/acme',
    '--acs',
    'https://wd5.myworkday.com/acme/login-saml.htmld',
  ]);
  const wd = (workday.saml as { sp: { acs: Array<{ url: string }>; nameId: unknown } }).sp;
  assert.equal(wd.acs[0]?.url, 'https://wd5.myworkday.com/acme/login-saml.htmld');
  assert.deepEqual(wd.nameId, { format: 'unspecified', source: 'username' });
  const entra = await cli.json(['app', 'add', 'Office 365', '--type', 'saml', '--preset', 'entra']);
  const sp = (entra.saml as { sp: Record<string, unknown> }).sp;
  assert.equal(sp.entityId, 'urn:federation:MicrosoftOnline');
  assert.deepEqual(
    sp.nameId,
    { format: 'persistent', source: 'userId' },
    'the ImmutableID is the user id by default',
  );
  assert.equal((sp.attributes as Array<{ name: string }>)[0]?.name, 'IDPEmail');
  assert.equal(
    (sp.authnContext as { secondFactor: string }).secondFactor,
    'http://schemas.microsoft.com/claims/multipleauthn',
  );
});

test('app add refuses an SP without its addresses, contradictory options, SAML options on another type (exit 2), a duplicate entity ID', async () => {
  const refused = async (args: string[], pattern: RegExp, code = 2) => {
    const result = await cli.run(['app', 'add', ...args]);
    assert.equal(result.code, code, result.stderr);
    assert.match(result.stderr, pattern);
  };
  await refused(['A', '--type', 'saml'], /needs --metadata FILE, or --entity-id ID with --acs URL/);
  await refused(['B', '--type', 'saml', '--entity-id', 'https://b.test'], /--acs/);
  await refused(['C', '--entity-id', 'https://c.test', '--acs', 'https://c.test/acs'], /need --type saml/);
  await refused(['D', '--type', 'saml', '--preset', 'entra', '--acs', 'https://d.test/acs'], /fixed ones/);
  await refused(
    ['E', '--type', 'saml', '--entity-id', 'e', '--acs', 'https://e.test', '--nameid', 'x'],
    /--nameid/,
  );
  await refused(
    ['F', '--type', 'saml', '--entity-id', 'f', '--acs', 'https://f.test', '--attribute', 'a=x'],
    /not a user field/,
  );
  await refused(['G', '--type', 'saml', '--metadata', join(cli.dataDir, 'none.xml')], /cannot read/);
  await refused(
    ['H', '--type', 'saml', '--entity-id', 'h', '--acs', 'http://h.test/acs'],
    /must be https/,
    2,
  );
  await refused(['I', '--type', 'saml', '--preset', 'entra'], /already connected/, 2);
});
