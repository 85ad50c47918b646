// The one XML parser for inbound SAML: no DOCTYPE, no entities, no processing instructions, no malformed input.
import type { Document, Node } from '@xmldom/xmldom';
import { xmlDom } from './libraries.ts';
import { refuse } from './refusal.ts';
import { isXmlChar, isXmlText } from './xml-chars.ts';

/** An inbound protocol message is a few kilobytes; metadata imports pass a larger limit. */
export const MAX_MESSAGE_CHARS = 64 * 1024;

// Node types (DOM §4.4) the parsed tree may not contain.
const ENTITY_REFERENCE_NODE = 5;
const ENTITY_NODE = 6;
const PROCESSING_INSTRUCTION_NODE = 7;
const DOCUMENT_TYPE_NODE = 10;

/**
 * The leading XML declaration, the only `<?…?>` allowed (XML 1.0 §2.8). A byte-order mark never gets this far:
 * the bindings decode UTF-8 with TextDecoder, which drops it.
 */
const XML_DECLARATION = /^<\?xml[ \t\r\n][^?>]*\?>/;

/**
 * Refuses characters XML does not allow, raw or as character references: the parser lets `&#0;` and raw control
 * characters through, and a NUL in an Issuer or NameID would reach the database (PostgreSQL refuses it: a 500).
 */
function refuseIllegalCharacters(text: string): void {
  if (!isXmlText(text)) refuse('malformed', 'the XML holds characters XML does not allow');
  for (const match of text.matchAll(/&#(x[0-9A-Fa-f]+|[0-9]+);/g)) {
    const digits = match[1]!;
    const code = digits.startsWith('x') ? Number.parseInt(digits.slice(1), 16) : Number.parseInt(digits, 10);
    if (!isXmlChar(code)) refuse('malformed', 'the XML references a character XML does not allow');
  }
}

/**
 * Refuses what must never reach a parser, by looking at the text itself: a DOCTYPE or any other markup
 * declaration (`<!` that opens neither a comment nor CDATA: entity expansion and external entities live there),
 * and any processing instruction but the leading XML declaration.
 */
function refuseDeclarations(text: string): void {
  for (const match of text.matchAll(/<!/g)) {
    const rest = text.slice(match.index, match.index + 9);
    if (!rest.startsWith('<!--') && rest !== '<![CDATA[') {
      refuse('doctype', 'the message carries a DOCTYPE or markup declaration');
    }
  }
  const declaration = XML_DECLARATION.exec(text);
  const from = declaration === null ? 0 : declaration[0].length;
  if (text.indexOf('<?', from) !== -1) {
    refuse('processing_instruction', 'the message carries a processing instruction');
  }
}

/** SAML messages and metadata nest a dozen levels deep; far deeper is an attack on recursive code downstream. */
export const MAX_DEPTH = 64;

/**
 * Walks the tree a second time, without recursion: refuses what the text scan might have missed (a DOCTYPE, an
 * entity, a processing instruction) and nesting deeper than MAX_DEPTH, which would overflow the stack of the
 * recursive canonicalization, serialization and lookups that come after.
 */
function refuseNodes(doc: Document): void {
  const stack: Array<[Node, number]> = [[doc, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) refuse('malformed', `the XML nests deeper than ${MAX_DEPTH} levels`);
    for (let child = node.firstChild; child !== null; child = child.nextSibling) {
      const type = child.nodeType;
      if (type === DOCUMENT_TYPE_NODE || type === ENTITY_NODE || type === ENTITY_REFERENCE_NODE) {
        refuse('doctype', 'the message carries a DOCTYPE or entity');
      }
      if (type === PROCESSING_INSTRUCTION_NODE) {
        const leadingDeclaration = node === doc && child === doc.firstChild && child.nodeName === 'xml';
        if (!leadingDeclaration) {
          refuse('processing_instruction', 'the message carries a processing instruction');
        }
      }
      stack.push([child, depth + 1]);
    }
  }
}

/**
 * Parses `text` as a SAML message or metadata: refuses DOCTYPEs and processing instructions before parsing, makes
 * the parser stop at its first warning or error (an undeclared entity, an unbound prefix, a stray character), and
 * checks the tree once more. Throws SamlRefusal ('malformed', 'doctype', 'processing_instruction').
 */
export function parseXml(text: string, maxChars = MAX_MESSAGE_CHARS): Document {
  if (text.length > maxChars) refuse('malformed', `the XML is longer than ${maxChars} characters`);
  refuseIllegalCharacters(text);
  refuseDeclarations(text);
  const { DOMParser, MIME_TYPE } = xmlDom();
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(text, MIME_TYPE.XML_APPLICATION);
  } catch (error) {
    refuse(
      'malformed',
      `the XML is not well-formed (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  refuseNodes(doc);
  if (doc.documentElement === null) refuse('malformed', 'the XML has no root element');
  return doc;
}
