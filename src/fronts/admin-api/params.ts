// The Admin API's parameters: TypeBox schemas that both check a call's signed parameters and document them.
import {
  type Static,
  type TObject,
  type TProperties,
  type TSchema,
  type TString,
  Type,
} from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { invalidParameter, missingParameter } from '../duo-api/envelope.ts';

/** Most milliseconds a time parameter may hold (year 9999). */
export const MAX_MS = 253_402_300_799_999;

/** An id in a path or body: 1 to 128 characters. */
export const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });

/** A whole number within [minimum, maximum]; the wire carries text (query, form) or a JSON number. */
export const Whole = (options: { minimum: number; maximum: number; default?: number; description: string }) =>
  Type.Integer(options);

/** Text of 1 to `maxLength` characters (unless `minLength` says otherwise). */
export const Text = (options: {
  maxLength: number;
  minLength?: number;
  description: string;
  pattern?: string;
}) => Type.String({ minLength: 1, ...options });

/** One of a fixed set of words (required unless it has a default). */
export const OneOf = <const T extends readonly string[]>(
  values: T,
  description: string,
  fallback?: T[number],
) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { description, ...(fallback !== undefined && { default: fallback }) },
  ) as unknown as TString & { static: T[number] };

/** Duo's booleans: `true`/`false`, `1`/`0`; false when not sent. */
export const Flag = (description: string) => Type.Boolean({ description, default: false });

/** A parameter that may be repeated (`users=a&users=b`) or sent as one JSON array (`users=["a","b"]`). */
export const List = <T extends TSchema>(item: T, options: { maxItems: number; description: string }) =>
  Type.Array(item, options);

/** Duo's v1 paging: `limit` (default 100, at most `maximum`) and `offset`. */
export function paging(maximum: number) {
  return {
    limit: Whole({ minimum: 1, maximum, default: 100, description: `Page size (at most ${maximum}).` }),
    offset: Whole({
      minimum: 0,
      maximum: 1_000_000_000,
      default: 0,
      description: 'Index of the first object to return.',
    }),
  };
}

/** An object schema of parameters: nothing beyond the listed names is accepted. */
export const Params = <T extends TProperties>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

/** No parameters at all. */
export const NoParams = Params({});

type JsonType = 'integer' | 'boolean' | 'array' | 'string' | undefined;

function jsonType(schema: TSchema | undefined): JsonType {
  if (schema === undefined) return undefined;
  if (schema.type === 'integer' || schema.type === 'boolean' || schema.type === 'array') return schema.type;
  return 'string';
}

/** Strict text-to-value conversion: `12` is a number, `1.5`, `12abc` and ` 12` stay text (and fail the check). */
function convert(type: JsonType, text: string): unknown {
  if (type === 'integer') return /^-?[0-9]{1,15}$/.test(text) ? Number(text) : text;
  if (type === 'boolean') {
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
  }
  return text;
}

/** The values of a repeated parameter: each value, or the items of one JSON array of text. */
function listValues(values: string[]): unknown[] {
  if (values.length === 1 && values[0]!.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(values[0]!);
      if (Array.isArray(parsed))
        return parsed.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
    } catch {
      // Not JSON: the one value is the list's only item.
    }
  }
  return values;
}

/** What a value must look like, in words, from its schema. */
export function expectation(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) {
    return `one of ${(schema.anyOf as TSchema[]).map((option) => String(option.const)).join(', ')}`;
  }
  switch (schema.type) {
    case 'integer':
      return `a whole number from ${schema.minimum} to ${schema.maximum}`;
    case 'boolean':
      return 'true or false (or 1 or 0)';
    case 'array':
      return `at most ${schema.maxItems} values, each ${expectation(schema.items as TSchema)}`;
    default: {
      const length = `${schema.minLength ?? 0} to ${schema.maxLength} characters`;
      return schema.pattern ? `${length}: ${schema.description}` : length;
    }
  }
}

/**
 * Reads a call's parameters — the signed pairs and the path's — into `schema`'s shape: one value per name
 * unless the schema lists it, whole numbers and flags converted strictly, defaults filled in. The first problem
 * is Duo's 40001 (missing) or 40002 (anything else) with a detail naming the parameter and what it must be.
 */
export function readParams<T extends TObject>(
  schema: T,
  pairs: ReadonlyArray<readonly [string, string]>,
  path: Record<string, string> = {},
): Static<T> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of [...pairs, ...Object.entries(path)]) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  const input: Record<string, unknown> = {};
  for (const [name, values] of grouped) {
    const property = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    const type = jsonType(property);
    if (type === 'array') {
      const itemType = jsonType(property!.items as TSchema);
      input[name] = listValues(values).map((value) =>
        typeof value === 'string' ? convert(itemType, value) : value,
      );
    } else if (values.length > 1) {
      throw invalidParameter(`${name}: given more than once`);
    } else {
      input[name] = convert(type, values[0]!);
    }
  }
  const value = Value.Default(schema, input);
  const [error] = Value.Errors(schema, value);
  if (error === undefined) return value as Static<T>;
  const name = error.path.split('/')[1] ?? '';
  if (error.type === ValueErrorType.ObjectRequiredProperty) throw missingParameter(name);
  if (error.type === ValueErrorType.ObjectAdditionalProperties || !Object.hasOwn(schema.properties, name)) {
    throw invalidParameter(`${name}: not a parameter of this call`);
  }
  throw invalidParameter(`${name}: must be ${expectation(schema.properties[name]!)}`);
}
