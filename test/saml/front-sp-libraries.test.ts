// Service providers we did not write against the real server (`countersign serve`, set up with `countersign app add`
// as docs/saml.md says): samlify on the Redirect and POST bindings and IdP-initiated, its SP imported from its own
// metadata; an Entra ID shaped SP (persistent NameID = ImmutableID, IDPEmail = UPN, audience
// urn:federation:MicrosoftOnline, multipleauthn only when a second factor was used); a Workday shaped SP typed by
// hand (POST only). Debian's xmlsec1 verifies the Responses the HTTP front sent, with the certificate `init` made.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import * as samlify from 'samlify';
import { AUTHN_CONTEXT, NAME_ID_FORMAT } from '../../src/saml/names.ts';
import { ENTRA_ACS_URL, ENTRA_ENTITY_ID } from '../../src/saml/sp-presets.ts';
import { type CliSandbox, cliSandbox } from '../cli/run-cli.ts';
import type { Agent, Landing } from '../oidc/agent.ts';
import { createAgent, drivePrompt, passcode } from '../oidc/harness.ts';
import { environment, type ServeProcess, startServe, stopServe } from '../support/serve-process.ts';
import { rsaPair } from './fixture.ts';
import { postedFields } from './front-tools.ts';

const PASSWORD = 'correct horse battery';
const SAMLIFY_ID = 'http://localhost:9/samlify/metadata';
const SAMLIFY_ACS = 'http://localhost:9/samlify/acs';
const WORKDAY_ID = 'http://www.workday.com/acme';
const WORKDAY_ACS = 'https://wd5.myworkday.com/acme/login-saml.htmld';
const { binding } = samlify.Constants.namespace;

// samlify ships no XML Schema validator and refuses to run without one; schemas are not what this test is about.
samlify.setSchemaValidator({ validate: async () => 'not schema-validated in tests' });

function xmlsec1Missing(): string | false {
  try {
    execFileSync('xmlsec1', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'xmlsec1 is not installed (Debian package xmlsec1)';
  }
}

const classRef = (xml: string) => /AuthnContextClassRef>([^<]+)</.exec(xml)?.[1];

describe('SP libraries against `countersign serve`', { concurrency: false }, () => {
  let sandbox: CliSandbox;
  let data: string;
  let env: NodeJS.ProcessEnv;
  let serve: ServeProcess;
  let idpCertFile: string;
  let idpCert: string;
  let samlSp: ReturnType<typeof samlify.ServiceProvider>;
  let samlIdp: ReturnType<typeof samlify.IdentityProvider>;
  let codes: string[];
  let userIds: Record<string, string>;

  before(async () => {
    // The commands run in this process (runCli, as bin/countersign.js does), the server as its own process.
    sandbox = cliSandbox();
    data = sandbox.dataDir;
    env = environment({ COUNTERSIGN_DATA_DIR: data });
    const cli = (args: string[], stdin?: string) => sandbox.json(args, stdin);
    await cli(['init']);
    const spPair = await rsaPair('samlify.sp.test');
    samlSp = samlify.ServiceProvider({
      entityID: SAMLIFY_ID,
      authnRequestsSigned: true,
      wantAssertionsSigned: true,
      privateKey: spPair.privateKeyPem,
      signingCert: spPair.certificatePem,
      nameIDFormat: [NAME_ID_FORMAT.emailAddress],
      assertionConsumerService: [{ Binding: binding.post, Location: SAMLIFY_ACS }],
    });
    const metadataFile = join(data, 'samlify-sp-metadata.xml');
    await writeFile(metadataFile, samlSp.getMetadata());
    // As docs/saml.md says, for a generic SP, Entra ID and Workday.
    await cli([
      'app',
      'add',
      'Samlify SP',
      '--type',
      'saml',
      '--metadata',
      metadataFile,
      '--nameid',
      'email',
    ]);
    await cli([
      'app',
      'add',
      'Office 365',
      '--type',
      'saml',
      '--preset',
      'entra',
      '--immutable-id',
      'userId',
    ]);
    await cli([
      'app',
      'add',
      'Workday',
      '--type',
      'saml',
      '--preset',
      'workday',
      '--entity-id',
      WORKDAY_ID,
      '--acs',
      WORKDAY_ACS,
    ]);
    userIds = {};
    for (const name of ['alice', 'bob']) {
      const added = await cli(['user', 'add', name, '--email', `${name}@example.test`]);
      userIds[name] = String(added.id);
      await cli(['user', 'set-password', name], `${PASSWORD}\n`);
    }
    // Bob is let in without a second factor (status bypass): his assertions must not claim one.
    await cli(['user', 'set-status', 'bob', 'bypass']);
    codes = (await cli(['bypass', 'issue', 'alice', '--count', '10'])).codes as string[];
    serve = await startServe(env);
    idpCertFile = join(data, 'saml-signing.crt');
    idpCert = await readFile(idpCertFile, 'utf8');
    // Our metadata says WantAuthnRequestsSigned="false" (Entra ID and Workday send unsigned requests), and samlify
    // then refuses to sign: told otherwise, it signs, and our record of this SP (its certificate) demands it.
    const metadata = await (await fetch(`${serve.url}/saml/metadata`)).text();
    assert.match(metadata, /WantAuthnRequestsSigned="false"/);
    samlIdp = samlify.IdentityProvider({
      metadata: metadata.replace('WantAuthnRequestsSigned="false"', 'WantAuthnRequestsSigned="true"'),
    });
  });
  after(async () => {
    if (serve) await stopServe(serve);
    sandbox?.remove();
  });

  /** From our sign-in page through the prompt (a bypass code for alice, nothing for bob) to the POST page. */
  const signIn = async (agent: Agent, landing: Landing, username: 'alice' | 'bob') => {
    assert.match(landing.url.pathname, /^\/saml\/sign-in\/[^/]+$/, landing.body.slice(0, 300));
    const prompt = await agent.submit(`${landing.url.pathname}/password`, { username, password: PASSWORD });
    const factor = username === 'alice' ? passcode(() => codes.shift()!) : null;
    const done = await drivePrompt(agent, prompt, factor);
    assert.equal(done.status, 200, done.body);
    return postedFields(done.body);
  };

  /** True when xmlsec1, given only our certificate, verifies the signature at `xpath` of the base64 `message`. */
  const xmlsec1Verifies = async (message: string, xpath: string) => {
    const file = join(data, `response-${Date.now()}-${Math.random()}.xml`);
    await writeFile(file, Buffer.from(message, 'base64'));
    const args = ['--verify', '--pubkey-cert-pem', idpCertFile, '--node-xpath', xpath];
    for (const id of [
      'urn:oasis:names:tc:SAML:2.0:protocol:Response',
      'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
    ])
      args.push('--id-attr:ID', id);
    try {
      execFileSync('xmlsec1', [...args, file], { stdio: ['ignore', 'pipe', 'pipe'] });
      return true;
    } catch {
      return false;
    }
  };
  const ASSERTION_SIGNATURE = "//*[local-name()='Assertion']/*[local-name()='Signature']";

  it('samlify, Redirect binding: its signed request accepted, our Response parsed and checked by samlify and xmlsec1', async () => {
    const { id, context } = samlSp.createLoginRequest(samlIdp, 'redirect', { relayState: 'r1' } as never);
    assert.ok(context.startsWith(`${serve.url}/saml/sso?`));
    const agent = createAgent(serve.url);
    const { action, fields } = await signIn(agent, await agent.open(context), 'alice');
    assert.equal(action, SAMLIFY_ACS);
    assert.equal(fields.RelayState, 'r1');
    const { extract } = await samlSp.parseLoginResponse(samlIdp, 'post', { body: fields });
    assert.equal(extract.nameID, 'alice@example.test');
    assert.equal(extract.audience, SAMLIFY_ID);
    assert.equal(extract.response?.inResponseTo, id);
    const skip = xmlsec1Missing();
    if (!skip)
      assert.ok(await xmlsec1Verifies(fields.SAMLResponse!, ASSERTION_SIGNATURE), 'xmlsec1 verifies it');
    // One changed character in the signed assertion: both samlify and xmlsec1 refuse it.
    const xml = Buffer.from(fields.SAMLResponse!, 'base64').toString('utf8');
    const tampered = Buffer.from(xml.replace('alice@example.test', 'alicf@example.test')).toString('base64');
    await assert.rejects(samlSp.parseLoginResponse(samlIdp, 'post', { body: { SAMLResponse: tampered } }));
    if (!skip) assert.equal(await xmlsec1Verifies(tampered, ASSERTION_SIGNATURE), false);
  });

  it('samlify, POST binding: its signed request posted to the SSO endpoint', async () => {
    const { id, context, relayState } = samlSp.createLoginRequest(samlIdp, 'post', {
      relayState: 'r2',
    } as never) as unknown as { id: string; context: string; relayState: string };
    const agent = createAgent(serve.url);
    const landing = await agent.submit('/saml/sso', { SAMLRequest: context, RelayState: relayState ?? 'r2' });
    const { fields } = await signIn(agent, landing, 'alice');
    const { extract } = await samlSp.parseLoginResponse(samlIdp, 'post', { body: fields });
    assert.equal(extract.nameID, 'alice@example.test');
    assert.equal(extract.response?.inResponseTo, id);
  });

  it('samlify, IdP-initiated: an unsolicited Response to its ACS', async () => {
    const agent = createAgent(serve.url);
    const landing = await agent.open(
      `/saml/idp-initiated?sp=${encodeURIComponent(SAMLIFY_ID)}&RelayState=home`,
    );
    const { action, fields } = await signIn(agent, landing, 'alice');
    assert.equal(action, SAMLIFY_ACS);
    const { extract } = await samlSp.parseLoginResponse(samlIdp, 'post', { body: fields });
    assert.equal(extract.nameID, 'alice@example.test');
    assert.equal(extract.response?.inResponseTo, undefined);
  });

  /** An AuthnRequest in the shape Entra ID sends (unsigned, Redirect, ACS by index, persistent NameIDPolicy). */
  const entraRequest = (id: string) => {
    const xml =
      `<samlp:AuthnRequest xmlns="urn:oasis:names:tc:SAML:2.0:metadata" ID="${id}" ` +
      `IssueInstant="${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}" Version="2.0" ` +
      'AssertionConsumerServiceIndex="0" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">' +
      `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${ENTRA_ENTITY_ID}</saml:Issuer>` +
      `<samlp:NameIDPolicy Format="${NAME_ID_FORMAT.persistent}"/></samlp:AuthnRequest>`;
    const encoded = encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'));
    return `/saml/sso?SAMLRequest=${encoded}&RelayState=office`;
  };
  const entraAsSp = () =>
    new SAML({
      issuer: ENTRA_ENTITY_ID,
      audience: ENTRA_ENTITY_ID,
      callbackUrl: ENTRA_ACS_URL,
      idpCert,
      idpIssuer: `${serve.url}/saml/metadata`,
      identifierFormat: NAME_ID_FORMAT.persistent,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.never,
    });

  it('Entra ID: ImmutableID as a persistent NameID, IDPEmail = UPN, its audience, multipleauthn after a second factor', async () => {
    const agent = createAgent(serve.url);
    const { action, fields } = await signIn(agent, await agent.open(entraRequest('_entra-http-1')), 'alice');
    assert.equal(action, ENTRA_ACS_URL);
    assert.equal(fields.RelayState, 'office');
    const { profile } = await entraAsSp().validatePostResponseAsync(fields);
    assert.equal(profile?.nameID, userIds.alice, 'the ImmutableID Countersign sends: the user id');
    assert.equal(profile?.nameIDFormat, NAME_ID_FORMAT.persistent);
    assert.equal(profile?.IDPEmail, 'alice', 'IDPEmail = the UPN (the username)');
    assert.equal(profile?.inResponseTo, '_entra-http-1');
    const assertion = profile!.getAssertionXml!();
    assert.match(assertion, /<saml:Audience>urn:federation:MicrosoftOnline<\/saml:Audience>/);
    assert.equal(classRef(assertion), AUTHN_CONTEXT.microsoftMultipleAuthn);
    if (!xmlsec1Missing()) assert.ok(await xmlsec1Verifies(fields.SAMLResponse!, ASSERTION_SIGNATURE));
  });

  it('Entra ID: no multipleauthn when no second factor was used', async () => {
    const agent = createAgent(serve.url);
    const { fields } = await signIn(agent, await agent.open(entraRequest('_entra-http-2')), 'bob');
    const { profile } = await entraAsSp().validatePostResponseAsync(fields);
    assert.equal(profile?.nameID, userIds.bob);
    assert.equal(classRef(profile!.getAssertionXml!()), AUTHN_CONTEXT.passwordProtectedTransport);
  });

  it('Workday, typed by hand: its POST AuthnRequest, the username as NameID, the Response to the typed ACS', async () => {
    const saml = new SAML({
      entryPoint: `${serve.url}/saml/sso`,
      issuer: WORKDAY_ID,
      audience: WORKDAY_ID,
      callbackUrl: WORKDAY_ACS,
      idpCert,
      idpIssuer: `${serve.url}/saml/metadata`,
      identifierFormat: NAME_ID_FORMAT.unspecified,
      authnRequestBinding: 'HTTP-POST',
      skipRequestCompression: true,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
    });
    const form = await saml.getAuthorizeFormAsync('wd', undefined, {});
    const request = /name="SAMLRequest" value="([^"]+)"/.exec(form)?.[1];
    assert.ok(request);
    const agent = createAgent(serve.url);
    const landing = await agent.submit('/saml/sso', { SAMLRequest: request, RelayState: 'wd' });
    const { action, fields } = await signIn(agent, landing, 'alice');
    assert.equal(action, WORKDAY_ACS);
    const { profile } = await saml.validatePostResponseAsync(fields);
    assert.equal(profile?.nameID, 'alice');
    assert.equal(profile?.nameIDFormat, NAME_ID_FORMAT.unspecified);
    if (!xmlsec1Missing()) assert.ok(await xmlsec1Verifies(fields.SAMLResponse!, ASSERTION_SIGNATURE));
  });
});
