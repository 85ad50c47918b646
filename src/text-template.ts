// Templates with named placeholders only (`{{name}}`): no expressions, no code; each value escaped where it lands.

/** Turns a value into text that is safe where the placeholder stands (inside a JSON string, a form field, HTML). */
export type Escape = (value: string) => string;

/** The escapers templates use, by where the text goes. */
export const ESCAPE = {
  /** Plain text (an e-mail's text part, an SMS): the value as it is. */
  none: (value: string) => value,
  /** Inside a JSON string literal: quotes, backslashes and control characters escaped, without the quotes. */
  json: (value: string) => JSON.stringify(value).slice(1, -1),
  /** A field of an `application/x-www-form-urlencoded` body or a URL query. */
  form: (value: string) => encodeURIComponent(value),
  /** HTML text and attribute values. */
  html: (value: string) =>
    value.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`),
  /** One line (an e-mail subject): line breaks become spaces, so a value cannot start a new header. */
  oneLine: (value: string) => value.replace(/[\r\n]+/g, ' '),
} satisfies Record<string, Escape>;

/** A template that failed to parse; the message names where and why. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** A parsed template: literal text and placeholder names, in order. */
export interface Template {
  readonly parts: ReadonlyArray<string | { name: string }>;
  /** The placeholders it uses, each once. */
  readonly names: readonly string[];
}

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/y;

/**
 * Parses `text`, allowing only the placeholders in `allowed`; throws TemplateError naming `where` for an unknown
 * placeholder or a `{{` that opens none (a typo must not be sent to users as literal braces).
 */
export function parseTemplate(text: string, allowed: readonly string[], where: string): Template {
  const parts: Array<string | { name: string }> = [];
  const names = new Set<string>();
  let literalStart = 0;
  let at = text.indexOf('{{');
  while (at !== -1) {
    PLACEHOLDER.lastIndex = at;
    const match = PLACEHOLDER.exec(text);
    const line = text.slice(0, at).split('\n').length;
    if (!match) {
      throw new TemplateError(
        `${where}, line ${line}: '{{' must open a placeholder like {{name}} (names: ${allowed.join(', ')})`,
      );
    }
    const name = match[1]!;
    if (!allowed.includes(name)) {
      throw new TemplateError(
        `${where}, line ${line}: unknown placeholder {{${name}}}; known: ${allowed.join(', ')}`,
      );
    }
    if (at > literalStart) parts.push(text.slice(literalStart, at));
    parts.push({ name });
    names.add(name);
    literalStart = PLACEHOLDER.lastIndex;
    at = text.indexOf('{{', literalStart);
  }
  if (literalStart < text.length) parts.push(text.slice(literalStart));
  return { parts, names: [...names] };
}

/** Fills `template` with `values`, each passed through `escapeValue`; a placeholder without a value is an error. */
export function fillTemplate(
  template: Template,
  values: Readonly<Record<string, string>>,
  escapeValue: Escape,
): string {
  let out = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = Object.hasOwn(values, part.name) ? values[part.name] : undefined;
    if (value === undefined) throw new TemplateError(`no value for the placeholder {{${part.name}}}`);
    out += escapeValue(value);
  }
  return out;
}
