// The baseline of a start: a bare fastify 5 server with one /health route, nothing else (no
// database, no schemas, no plugins), listening on the port given as the first argument.
import process from 'node:process';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'UP' }));
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
