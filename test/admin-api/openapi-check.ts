// Checks answers against the served OpenAPI document: each answer must match its operation's documented schema.
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';

interface Operation {
  parameters: Array<{ name: string; in: string; required: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content: Record<string, { schema: unknown }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/** The documented operations by `METHOD template`, and a check of one answer against its operation. */
export function openApiChecker(document: OpenApiDocument) {
  // strict: unknown keywords in a schema fail compilation, so a schema no validator understands is caught.
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
  }));
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const validatorFor = (key: string, schema: unknown) => {
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(schema as object);
      validators.set(key, validate);
    }
    return validate;
  };
  /** The operation a concrete call hits (`/admin/v1/users/DU…` → `/admin/v1/users/{user_id}`). */
  const operationOf = (method: string, path: string) => {
    const bare = path.split('?')[0]!;
    const found = templates.find(
      ({ template, pattern }) => pattern.test(bare) && document.paths[template]![method.toLowerCase()],
    );
    assert.ok(found, `${method} ${bare} is in the OpenAPI document`);
    return { template: found.template, operation: document.paths[found.template]![method.toLowerCase()]! };
  };
  const seen = new Set<string>();
  return {
    operationOf,
    /** Every `METHOD template` an answer was checked for. */
    seen,
    /** Asserts that `body` (HTTP `status`) matches the document: the 200 schema, or the failure envelope. */
    check(method: string, path: string, status: number, body: unknown): void {
      const { template, operation } = operationOf(method, path);
      seen.add(`${method} ${template}`);
      const response = operation.responses[status === 200 ? '200' : 'default']!;
      const validate = validatorFor(
        `${method} ${template} ${status === 200}`,
        response.content['application/json']!.schema,
      );
      assert.ok(
        validate(body),
        `${method} ${template} answered ${status} outside its documented schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 800)}`,
      );
    },
    /** Compiles every schema in the document (parameters, bodies, answers). */
    compileAll(): number {
      let compiled = 0;
      for (const [template, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          for (const parameter of operation.parameters) {
            ajv.compile(parameter.schema as object);
            compiled++;
          }
          for (const content of Object.values(operation.requestBody?.content ?? {})) {
            ajv.compile(content.schema as object);
            compiled++;
          }
          for (const [status, response] of Object.entries(operation.responses)) {
            validatorFor(
              `${method.toUpperCase()} ${template} ${status === '200'}`,
              response.content['application/json']!.schema,
            );
            compiled++;
          }
        }
      }
      return compiled;
    },
  };
}
