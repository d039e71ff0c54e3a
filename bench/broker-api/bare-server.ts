import Fastify from 'fastify';

// The peer in the same run: a bare fastify route with no auth, no validation
// and no storage. It answers the same request shapes with a fixed small body.
const app = Fastify({ logger: false });
app.post('/bare', async (req) => ({
  ok: true,
  echo: (req.body as { recipientName?: string }).recipientName,
}));
app.get('/bare', async () => ({ items: [], nextCursor: null }));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${address}\n`);
