// Building SAML through the DOM: every value goes in as a text node or an attribute, never spliced into markup.
import type { Document, Element, Node } from '@xmldom/xmldom';
import { xmlDom } from './libraries.ts';
import { NS } from './names.ts';
import { isXmlText } from './xml-chars.ts';

/** Why an outbound message could not be built from the data at hand: a configuration or directory problem. */
export class SamlBuildError extends Error {
  readonly problem: 'missing_value' | 'not_xml_text';
  constructor(problem: 'missing_value' | 'not_xml_text', message: string) {
    super(message);
    this.name = 'SamlBuildError';
    this.problem = problem;
  }
}

/** `value`, checked to be representable in XML; `what` names it in the error. */
export function xmlText(value: string, what: string): string {
  if (!isXmlText(value)) {
    throw new SamlBuildError('not_xml_text', `${what} holds characters XML cannot carry`);
  }
  return value;
}

/** A new document whose root is `qualifiedName` in `ns`, declaring each of `prefixes` once on the root. */
export function newDocument(ns: string, qualifiedName: string, prefixes: Record<string, string>): Element {
  const doc: Document = new (xmlDom().DOMImplementation)().createDocument(ns, qualifiedName, null);
  const root = doc.documentElement!;
  for (const [prefix, uri] of Object.entries(prefixes)) root.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, uri);
  return root;
}

/**
 * Appends `qualifiedName` in `ns` to `parent` with the attributes that are defined and, when given, a text node.
 * Returns the new element.
 */
export function append(
  parent: Element,
  ns: string,
  qualifiedName: string,
  attributes: Record<string, string | undefined> = {},
  text?: string,
): Element {
  const doc = parent.ownerDocument!;
  const element = doc.createElementNS(ns, qualifiedName);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) element.setAttribute(name, xmlText(value, `attribute ${name}`));
  }
  if (text !== undefined) element.appendChild(doc.createTextNode(xmlText(text, qualifiedName)));
  parent.appendChild(element);
  return element;
}

/** The XML text of `node`; the serializer refuses anything that would not be well-formed. */
export function serialize(node: Node): string {
  return new (xmlDom().XMLSerializer)().serializeToString(node, { requireWellFormed: true });
}

/** The XML text of the whole document `root` belongs to. */
export function serializeDocument(root: Element): string {
  return serialize(root.ownerDocument!);
}
