// The limit of the Auth API benchmark: a bare Fastify 5 server with one form-encoded POST route, nothing else.
import Fastify from 'fastify';

const ALLOW = { stat: 'OK', response: { result: 'allow' } };

/** Builds the bare server: a urlencoded body parser (as @fastify/formbody would add) and one route. */
export function bareServer() {
  const fastify = Fastify({ logger: false });
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 256 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  fastify.post('/auth/v2/auth', async () => ALLOW);
  return fastify;
}

if (import.meta.main) {
  const fastify = bareServer();
  await fastify.listen({ host: '127.0.0.1', port: 0 });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  const stop = () => void fastify.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
