// The limit of the Auth API benchmark: a bare Fastify 5 server with one form-encoded POST route, nothing else.
import cluster from 'node:cluster';
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

/** Listens on a free loopback port (shared by every worker of a cluster) and resolves to its URL. */
async function listen(fastify: ReturnType<typeof bareServer>): Promise<string> {
  await fastify.listen({ host: '127.0.0.1', port: 0 });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `http://127.0.0.1:${port}`;
}

// `node bare-server.ts [workers]`: with workers > 1, as many processes share the port through node:cluster, as
// `countersign serve` does with its `workers` setting, so both sides of a figure use the same number of cores.
if (import.meta.main) {
  const workers = Number(process.argv[2] ?? '1');
  if (cluster.isPrimary && workers > 1) {
    const urls = Array.from({ length: workers }, () => {
      const worker = cluster.fork();
      return new Promise<string>((resolve) => worker.on('message', (url: string) => resolve(url)));
    });
    const [url] = await Promise.all(urls);
    process.stdout.write(`${JSON.stringify({ url })}\n`);
    const stop = () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } else {
    const fastify = bareServer();
    const url = await listen(fastify);
    if (cluster.isWorker) process.send?.(url);
    else process.stdout.write(`${JSON.stringify({ url })}\n`);
    const stop = () => void fastify.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
}
