// Reads an application/x-www-form-urlencoded body into single string values (a repeated name is refused later).

/** The form's fields; repeated names become arrays (so checks can refuse them), other bodies become {}. */
export function readForm(contentType: string | undefined, body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return out;
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = out[name];
    out[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

/** One string parameter: undefined when absent, and also when repeated or not a string (treated as invalid). */
export function single(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}
