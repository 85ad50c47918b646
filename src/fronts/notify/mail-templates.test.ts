import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TemplateError } from '../../text-template.ts';
import { loadMailTemplates, MAIL_TEMPLATES, type MailTemplateName } from './mail-templates.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-templates-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('issue 13: every built-in template has a subject, a text and an HTML part that use each value', () => {
  const templates = loadMailTemplates();
  for (const [name, placeholders] of Object.entries(MAIL_TEMPLATES)) {
    const values = Object.fromEntries(placeholders.map((p) => [p, `<${p.toUpperCase()}&>`]));
    const mail = templates.render(name as MailTemplateName, values as never);
    assert.ok(mail.subject.length > 0 && !/[\r\n]/.test(mail.subject), name);
    const everywhere = `${mail.subject}\n${mail.text}`;
    for (const p of placeholders) {
      assert.ok(everywhere.includes(`<${p.toUpperCase()}&>`), `${name}: {{${p}}} in the text or subject`);
      assert.ok(
        mail.html?.includes(`&lt;${p.toUpperCase()}&amp;&gt;`),
        `${name}: {{${p}}} escaped in the HTML`,
      );
      assert.ok(!mail.html?.includes(`<${p.toUpperCase()}&>`), `${name}: {{${p}}} never raw in the HTML`);
    }
  }
});

test('issue 13: the operator folder replaces a template; the others keep their defaults', () => {
  const dir = folder({
    'device-added.txt': 'Subject: New device for {{username}}\n\n{{name}} added {{device}}.\n',
    'device-added.html': '<p>{{name}} added <b>{{device}}</b>.</p>\n',
  });
  const templates = loadMailTemplates(dir);
  const values = { organization: 'O', name: 'Ada & Co', username: 'ada', device: '"Pixel"', time: 't' };
  assert.deepEqual(templates.render('device-added', values), {
    subject: 'New device for ada',
    text: 'Ada & Co added "Pixel".\n',
    html: '<p>Ada &amp; Co added <b>&quot;Pixel&quot;</b>.</p>\n',
  });
  assert.match(
    templates.render('enrollment-link', {
      organization: 'O',
      name: 'n',
      username: 'u',
      link: 'l',
      expires: 'e',
    }).subject,
    /^O: set up two-step sign-in$/,
  );
});

test('issue 13: a text-only operator template sends no HTML; a value cannot break the subject line', () => {
  const dir = folder({
    'enrollment-reminder.txt': 'Subject: Reminder for {{name}}\r\n\r\nGo to {{link}}\r\n',
  });
  const mail = loadMailTemplates(dir).render('enrollment-reminder', {
    organization: 'O',
    name: 'Ada\r\nBcc: victim@example.org',
    username: 'u',
    link: 'https://x',
    expires: 'e',
  });
  assert.equal(mail.subject, 'Reminder for Ada Bcc: victim@example.org');
  assert.equal(mail.html, undefined);
  assert.equal(mail.text, 'Go to https://x\r\n');
});

test('issue 13: broken operator templates are refused with the file and the reason', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [
      { 'device-added.txt': 'Subject: x\n\n{{password}}\n' },
      /device-added\.txt, line 1: unknown placeholder \{\{password\}\}/,
    ],
    [{ 'device-added.txt': 'no subject line\n' }, /device-added\.txt: must start with a 'Subject: …' line/],
    [{ 'device-added.html': '<p></p>' }, /device-added\.html: needs device-added\.txt beside it/],
    [{ 'device-aded.txt': 'Subject: x\n\nx' }, /no template is called 'device-aded'; known: enrollment-link/],
    [
      { 'fraud-alert-user.html': '<p>{{ name }} {{txid}}</p>', 'fraud-alert-user.txt': 'Subject: s\n\nb' },
      /fraud-alert-user\.html, line 1: unknown placeholder \{\{txid\}\}/,
    ],
  ];
  for (const [files, message] of cases) {
    assert.throws(() => loadMailTemplates(folder(files)), { name: TemplateError.name, message });
  }
  assert.throws(
    () => loadMailTemplates(join(tmpdir(), 'countersign-no-such-folder')),
    /mail\.templates_dir .* cannot be read/,
  );
});
