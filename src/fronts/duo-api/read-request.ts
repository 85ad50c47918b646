// Reads a Fastify request into what signature verification needs: the raw parts and the decoded query and body.
import type { FastifyRequest } from 'fastify';
import {
  type DecodedBody,
  parseFormPairs,
  parseJsonPairs,
  parseQueryPairs,
  type SignedRequest,
} from '../../crypto/duo-signature/index.ts';
import { invalidParameter } from './envelope.ts';

/**
 * Decodes query and body; malformed encodings are a 40002 naming what was wrong. Which of them the handler may
 * read is decided by the signature (VerifySuccess.params), never here.
 */
export function readRequest(request: FastifyRequest): SignedRequest {
  const url = request.raw.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const queryPairs = queryStart === -1 ? [] : parseQueryPairs(url.slice(queryStart + 1));
  if (queryPairs === null) throw invalidParameter('the query string is not valid URL encoding');

  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: request.method,
    host: headers.host ?? '',
    path,
    queryPairs,
    body: rawBody.length === 0 ? null : decodeBody(rawBody, contentType),
    rawBody,
    headers,
  };
}

/** A form (also when no Content-Type is given) or a JSON object; anything else is a 40002. */
function decodeBody(rawBody: Buffer, contentType: string): DecodedBody {
  if (contentType === 'application/json') {
    const pairs = parseJsonPairs(rawBody);
    if (typeof pairs === 'string') throw invalidParameter(`the JSON body is ${pairs}`);
    return { type: 'json', pairs };
  }
  if (contentType === 'application/x-www-form-urlencoded' || contentType === '') {
    const pairs = parseFormPairs(rawBody.toString('utf8'));
    if (pairs === null) throw invalidParameter('the form body is not valid URL encoding');
    return { type: 'form', pairs };
  }
  throw invalidParameter(`unsupported content type '${contentType}'`);
}
