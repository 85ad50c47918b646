// Reads and writes the JSON-as-text columns, failing with a clear error that names the damaged column.

/** A stored JSON value could not be read: the row was damaged outside Countersign. */
export class StoredJsonError extends Error {
  readonly column: string;

  constructor(column: string, reason: string) {
    super(`stored JSON in ${column} is not valid: ${reason}`);
    this.name = 'StoredJsonError';
    this.column = column;
  }
}

/** Parses a JSON text column; `column` (`table.column`) names it in the error. */
export function readJson(text: string, column: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoredJsonError(column, error instanceof Error ? error.message : String(error));
  }
}

/** Parses a column that must hold a JSON object. */
export function readJsonObject(text: string, column: string): Record<string, unknown> {
  const value = readJson(text, column);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoredJsonError(column, 'expected an object');
  }
  return value as Record<string, unknown>;
}

/** Parses a column that must hold a JSON array of strings. */
export function readJsonStrings(text: string, column: string): string[] {
  const value = readJson(text, column);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new StoredJsonError(column, 'expected an array of strings');
  }
  return value;
}

/** Serialises a value for a JSON text column (`undefined` is stored as `null`). */
export function writeJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
