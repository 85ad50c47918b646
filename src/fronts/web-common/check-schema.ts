// Checks request values against their TypeBox schemas: Fastify's validator for every route, and the one check of
// bodies that can only be read after their signature. A mismatch is INVALID_REQUEST naming the field in plain words.
import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { CountersignError } from '../../core/errors.ts';

/** Where a value came from, for the words naming a field. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/**
 * Marks a schema the handler checks itself, so it is described on the route (for the API document) but never run
 * by Fastify: a body parsed from raw bytes once their signature holds (the device API checks it with
 * `parseJsonBody`), or parameters a protocol answers in its own format (Duo's Auth API, the Universal Prompt's
 * OAuth endpoints, whose SDKs expect their error bodies byte for byte).
 */
export const CHECKED_BY_HANDLER = 'x-checked-by-handler';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor(schema: TSchema): TypeCheck<TSchema> {
  let checker = compiled.get(schema);
  if (!checker) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker;
}

function isLiteral(schema: TSchema): boolean {
  return 'const' in schema;
}

/** What a value of `schema` looks like, as a noun phrase: "a string of at most 64 characters", "true or false". */
function describe(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) {
    const options = schema.anyOf as TSchema[];
    const literals = options.filter(isLiteral).map((o) => String(o.const));
    const others = options.filter((o) => !isLiteral(o)).map(describe);
    const named = literals.length > 1 ? [`one of ${literals.join(', ')}`] : literals;
    return [...named, ...others].join(' or ');
  }
  if (isLiteral(schema)) return String(schema.const);
  switch (schema.type) {
    case 'string': {
      const { minLength: min, maxLength: max } = schema as { minLength?: number; maxLength?: number };
      const length =
        min !== undefined && max !== undefined
          ? ` of ${min} to ${max} characters`
          : max !== undefined
            ? ` of at most ${max} characters`
            : min !== undefined
              ? ` of at least ${min} characters`
              : '';
      return `a string${length}${schema.pattern !== undefined ? ' in the expected format' : ''}`;
    }
    case 'boolean':
      return 'true or false';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'null':
      return 'null';
    default:
      return 'a valid value';
  }
}

/** How a field is named to the caller: `keys.p256dh`, `the query parameter version`, `the txid in the path`. */
function fieldName(part: RequestPart, path: string): string {
  const name = path.split('/').slice(1).join('.');
  if (part === 'querystring') return name ? `the query parameter ${name}` : 'the query string';
  if (part === 'params') return name ? `the ${name} in the path` : 'the path';
  if (part === 'headers') return name ? `the ${name} header` : 'the headers';
  return name || 'the body';
}

/** The first way `value` misses `schema`, in plain words naming the field; null when it matches. */
export function schemaMismatch(schema: TSchema, value: unknown, part: RequestPart): string | null {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return null;
  const first = checker.Errors(value).First();
  if (!first) return `${fieldName(part, '')} is not valid`;
  const field = fieldName(part, first.path);
  return first.value === undefined ? `${field} is required` : `${field} must be ${describe(first.schema)}`;
}

/** `value` typed by `schema`, or INVALID_REQUEST naming the first field that does not match. */
export function checkValue<T extends TSchema>(schema: T, value: unknown, part: RequestPart): Static<T> {
  const mismatch = schemaMismatch(schema, value, part);
  if (mismatch !== null) throw new CountersignError('INVALID_REQUEST', mismatch);
  return value as Static<T>;
}

/** Fastify's validator compiler for TypeBox route schemas (one compiled checker per schema). */
export function typeboxValidatorCompiler(route: { schema: object; httpPart?: string }) {
  const schema = route.schema as TSchema;
  if (CHECKED_BY_HANDLER in schema) return () => true;
  const part = (route.httpPart ?? 'body') as RequestPart;
  checkerFor(schema);
  return (received: unknown) => {
    // Fastify passes null for a request without a body: that is a body with no fields.
    const value = part === 'body' && received === null ? {} : received;
    const mismatch = schemaMismatch(schema, value, part);
    return mismatch === null ? { value } : { error: new CountersignError('INVALID_REQUEST', mismatch) };
  };
}

/** `schema` marked as checked by the handler (see CHECKED_BY_HANDLER). */
export function checkedByHandler<T extends TSchema>(schema: T): T & { [CHECKED_BY_HANDLER]: true } {
  return { ...schema, [CHECKED_BY_HANDLER]: true };
}

/** A raw JSON body (`''` is `{}`) parsed and checked against `schema`, or INVALID_REQUEST. */
export function parseJsonBody<T extends TSchema>(schema: T, text: string): Static<T> {
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new CountersignError('INVALID_REQUEST', 'the body is not JSON');
  }
  return checkValue(schema, value, 'body');
}
