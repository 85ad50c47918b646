import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from './parse-xml.ts';
import { SamlRefusal } from './refusal.ts';

const reason = (text: string, maxChars?: number): string => {
  try {
    parseXml(text, maxChars);
    return 'parsed';
  } catch (error) {
    if (error instanceof SamlRefusal) return error.reason;
    throw error;
  }
};

describe('parseXml', () => {
  it('parses a message with the XML declaration, comments, CDATA and character references', () => {
    assert.equal(
      reason('<?xml version="1.0" encoding="UTF-8"?><a><!-- c --><b><![CDATA[<x>]]>&amp;&#65;</b></a>'),
      'parsed',
    );
    assert.equal(parseXml('<a>x&lt;&#x41;</a>').documentElement?.textContent, 'x<A');
  });

  it('refuses every DOCTYPE and markup declaration, in any case and position', () => {
    for (const text of [
      '<!DOCTYPE a><a/>',
      '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
      '<!doctype a><a/>',
      '<a><!ENTITY x "y"></a>',
      '<!ELEMENT a ANY><a/>',
    ]) {
      assert.equal(reason(text), 'doctype', text);
    }
  });

  it('refuses processing instructions, and an XML declaration anywhere but first', () => {
    assert.equal(reason('<?xml-stylesheet href="x"?><a/>'), 'processing_instruction');
    assert.equal(reason('<a><?php echo 1 ?></a>'), 'processing_instruction');
    assert.equal(reason(' <?xml version="1.0"?><a/>'), 'processing_instruction');
    assert.equal(reason('<?xml version="1.0"?><?xml version="1.0"?><a/>'), 'processing_instruction');
  });

  it('stops at the first warning: undeclared entities, unbound prefixes, stray text, two roots, nothing', () => {
    for (const text of ['<a>&nbsp;</a>', '<p:a/>', '<a></b>', '<a/><b/>', 'text', '', '<a x="1" x="2"/>']) {
      assert.equal(reason(text), 'malformed', JSON.stringify(text));
    }
  });

  it('issue 11: refuses deep nesting with a reason instead of overflowing the stack', () => {
    const deep = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
    assert.equal(reason(deep(9000)), 'malformed');
    assert.equal(reason(deep(32)), 'parsed');
  });

  it('issue 11: refuses characters XML does not allow, raw or referenced (the parser let NUL through)', () => {
    for (const text of [
      '<a>&#0;</a>',
      '<a>&#xD800;</a>',
      '<a x="&#1;"/>',
      '<a>\u0001</a>',
      '<a>&#xFFFE;</a>',
      '<a>&#x110000;</a>',
    ]) {
      assert.equal(reason(text), 'malformed', JSON.stringify(text));
    }
    assert.equal(reason('<a>&#9;&#x1F600;\u00e9</a>'), 'parsed');
  });

  it('refuses input over the size limit before parsing it', () => {
    assert.equal(reason(`<a>${'x'.repeat(100)}</a>`, 50), 'malformed');
  });
});
