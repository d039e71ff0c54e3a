import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

// The peer in the same run: a bare fastify route with no auth, no validation
// and no storage. It answers the same request shapes with bodies of the same
// size and shape, taken from the broker's own answers (argv: a JSON file).
const sample = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as {
  created: object;
  list: object;
};
const app = Fastify({ logger: false });
app.post('/bare', async (_req, reply) => reply.status(201).send(sample.created));
app.get('/bare', async () => sample.list);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${address}\n`);
