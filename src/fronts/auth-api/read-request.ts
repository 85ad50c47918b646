// Reads a Fastify request into what signature checks and handlers need: raw parts and decoded parameters.
import type { FastifyRequest } from 'fastify';
import type { SignedRequest } from '../../crypto/duo-signature/index.ts';
import { parseFormPairs, parseQueryPairs } from '../../crypto/duo-signature/index.ts';
import { invalidParameter } from './envelope.ts';

export interface ReadRequest {
  signed: SignedRequest;
  /** Parameters by name (first value wins), from the query for GET/DELETE and the body otherwise. */
  params: Map<string, string>;
}

function jsonPairs(body: Buffer): Array<[string, string]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidParameter('the JSON body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('the JSON body must be an object');
  }
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(parsed)) {
    // Wire reference §3: JSON numbers and booleans stand for their string forms.
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      pairs.push([key, String(value)]);
    } else if (value !== null) {
      pairs.push([key, JSON.stringify(value)]);
    }
  }
  return pairs;
}

/** Decodes query and body; malformed encodings are a 40002 naming what was wrong. */
export function readRequest(request: FastifyRequest): ReadRequest {
  const url = request.raw.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const queryPairs = queryStart === -1 ? [] : parseQueryPairs(url.slice(queryStart + 1));
  if (queryPairs === null) throw invalidParameter('the query string is not valid URL encoding');

  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let bodyPairs: Array<[string, string]> | null = null;
  let paramPairs = queryPairs;
  if (rawBody.length > 0 || contentType !== '') {
    if (contentType === 'application/json') {
      paramPairs = rawBody.length > 0 ? jsonPairs(rawBody) : [];
    } else if (contentType === 'application/x-www-form-urlencoded' || contentType === '') {
      bodyPairs = parseFormPairs(rawBody.toString('utf8'));
      if (bodyPairs === null) throw invalidParameter('the form body is not valid URL encoding');
      paramPairs = bodyPairs;
    } else {
      throw invalidParameter(`unsupported content type '${contentType}'`);
    }
  }
  if (request.method === 'GET' || request.method === 'DELETE') paramPairs = queryPairs;

  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const params = new Map<string, string>();
  for (const [key, value] of paramPairs) if (!params.has(key)) params.set(key, value);
  return {
    signed: {
      method: request.method,
      host: headers.host ?? '',
      path,
      queryPairs,
      bodyPairs,
      rawBody,
      headers,
    },
    params,
  };
}
