// Reading parsed SAML: children by namespace and local name, exactly-one lookups, attributes and text.
import type { Element, Node } from '@xmldom/xmldom';
import { refuse } from './refusal.ts';

const ELEMENT_NODE = 1;

/** The element children of `parent` in namespace `ns` named `localName`, in document order. */
export function childrenNamed(parent: Element, ns: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    const element = node as Element;
    if (element.namespaceURI === ns && element.localName === localName) found.push(element);
  }
  return found;
}

/** The element children of `parent`, whatever their name. */
export function elementChildren(parent: Element): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) found.push(node as Element);
  }
  return found;
}

/** The one child named so, or null when there is none; two are refused as malformed. */
export function optionalChild(parent: Element, ns: string, localName: string): Element | null {
  const found = childrenNamed(parent, ns, localName);
  if (found.length > 1) refuse('malformed', `<${parent.localName}> has more than one <${localName}>`);
  return found[0] ?? null;
}

/** The one child named so; none or two are refused as malformed. */
export function requiredChild(parent: Element, ns: string, localName: string): Element {
  return (
    optionalChild(parent, ns, localName) ?? refuse('malformed', `<${parent.localName}> has no <${localName}>`)
  );
}

/** An attribute without namespace, or undefined when absent. */
export function attribute(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}

/** A required, non-empty attribute. */
export function requiredAttribute(element: Element, name: string): string {
  const value = attribute(element, name);
  if (value === undefined || value === '') {
    refuse('malformed', `<${element.localName}> has no ${name} attribute`);
  }
  return value;
}

/**
 * The text of an element whose content is text only, trimmed (SAML's string types allow surrounding white
 * space). Every text node counts, so a comment in the middle cannot cut a value in two (CVE-2017-11428).
 */
export function textOf(element: Element): string {
  if (elementChildren(element).length > 0) refuse('malformed', `<${element.localName}> must hold text only`);
  return (element.textContent ?? '').trim();
}

/** `xs:boolean` (XML Schema §3.2.2): true, false, 1 or 0; undefined when absent. */
export function booleanAttribute(element: Element, name: string): boolean | undefined {
  const value = attribute(element, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return refuse('malformed', `<${element.localName}> ${name} is not a boolean`);
}
