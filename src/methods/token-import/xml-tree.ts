// Safe navigation over fast-xml-parser output: namespace-free names, every element an array entry.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One parsed element: child elements under their local name, `@_name` attributes, `#text`. */
export type XmlElement = Record<string, unknown>;

const isElement = (value: unknown): value is XmlElement =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `name` children of `node` (local name, any namespace prefix). */
export function children(node: XmlElement | undefined, name: string): XmlElement[] {
  if (node === undefined || !Object.hasOwn(node, name)) return [];
  const value = node[name];
  return Array.isArray(value) ? value.filter(isElement) : [];
}

/** The first element reached by following `path` from `node`, or undefined. */
export function child(node: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = node;
  for (const name of path) current = children(current, name)[0];
  return current;
}

/** The trimmed text content of an element, or undefined when the element is absent. */
export function textOf(node: XmlElement | undefined): string | undefined {
  if (node === undefined) return undefined;
  const value = Object.hasOwn(node, '#text') ? node['#text'] : '';
  return typeof value === 'string' ? value.trim() : String(value);
}

/** An attribute's value (local name), or undefined. */
export function attrOf(node: XmlElement | undefined, name: string): string | undefined {
  const key = `@_${name}`;
  if (node === undefined || !Object.hasOwn(node, key)) return undefined;
  const value = node[key];
  return typeof value === 'string' ? value.trim() : undefined;
}

/** Parse outcome: the document root, or a message with the line where the XML is malformed. */
export type ParsedXml = { ok: true; document: XmlElement } | { ok: false; line: number; message: string };

/** Validates and parses XML with namespace prefixes stripped; never throws. DTDs are refused. */
export function parseXml(xml: string): ParsedXml {
  // No DTD is needed for PSKC; refusing it rules out entity-expansion attacks.
  if (/<!DOCTYPE/i.test(xml))
    return { ok: false, line: 1, message: 'XML DOCTYPE declarations are not allowed' };
  try {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      const line = Number.isInteger(valid.err.line) && valid.err.line > 0 ? valid.err.line : 1;
      return { ok: false, line, message: `malformed XML: ${valid.err.msg}` };
    }
    const parser = new XMLParser({
      removeNSPrefix: true,
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      alwaysCreateTextNode: true,
      isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
    });
    const document: unknown = parser.parse(xml);
    if (!isElement(document)) return { ok: false, line: 1, message: 'malformed XML: no document element' };
    return { ok: true, document };
  } catch (err) {
    return {
      ok: false,
      line: 1,
      message: `malformed XML: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
