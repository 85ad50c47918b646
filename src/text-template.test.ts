import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESCAPE, fillTemplate, parseTemplate, TemplateError } from './text-template.ts';

test('placeholders are filled by name, with spaces inside the braces allowed', () => {
  const template = parseTemplate('Hi {{name}}, {{ name }} again: {{code}}.', ['name', 'code'], 't');
  assert.deepEqual(template.names, ['name', 'code']);
  assert.equal(fillTemplate(template, { name: 'Ada', code: '42' }, ESCAPE.none), 'Hi Ada, Ada again: 42.');
});

test('nothing but a name is evaluated: expressions, unknown names and stray braces are refused', () => {
  for (const [text, message] of [
    ['{{name.length}}', /'\{\{' must open a placeholder/],
    ['{{constructor}}', /unknown placeholder \{\{constructor\}\}; known: name/],
    ['{{ process.exit() }}', /'\{\{' must open/],
    ['ok\n{{name}\n', /line 2/],
    ['{{Name}}', /must open/],
  ] as const) {
    assert.throws(() => parseTemplate(text, ['name'], 'sms_body'), {
      name: TemplateError.name,
      message: message,
    });
  }
  // A lone closing pair is just text (JSON bodies end with one).
  assert.equal(
    fillTemplate(parseTemplate('{"a":{"b":"{{name}}"}}', ['name'], 't'), { name: 'x' }, ESCAPE.json),
    '{"a":{"b":"x"}}',
  );
});

test('a value is never read as template text', () => {
  const template = parseTemplate('{{a}}{{b}}', ['a', 'b'], 't');
  assert.equal(fillTemplate(template, { a: '{{b}}', b: 'B' }, ESCAPE.none), '{{b}}B');
  assert.throws(
    () => fillTemplate(template, { a: 'x' }, ESCAPE.none),
    /no value for the placeholder \{\{b\}\}/,
  );
});

test('escapers: JSON strings, form fields, HTML, one line', () => {
  const nasty = 'a"b\\c\n<i>&\'';
  assert.equal(JSON.parse(`"${ESCAPE.json(nasty)}"`), nasty);
  assert.equal(new URLSearchParams(`v=${ESCAPE.form('a&b=c +')}`).get('v'), 'a&b=c +');
  assert.equal(ESCAPE.html(nasty), 'a&quot;b\\c\n&lt;i&gt;&amp;&#39;');
  assert.equal(ESCAPE.oneLine('Subject\r\nBcc: x@example.org'), 'Subject Bcc: x@example.org');
});
