import { startPostgres } from './postgres-server.ts';

/**
 * One throwaway PostgreSQL for a whole test run (scripts/lib/test.sh's `pg`
 * suite): prints the cluster's admin URL on one line, then runs until SIGTERM
 * or SIGINT and takes the cluster with it. Test processes given the URL as
 * BECKON_TEST_PG_ADMIN_URL make their databases there instead of starting a
 * cluster each.
 */
const server = await startPostgres();
process.stdout.write(`${server.adminUrl}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// Keeps the process alive until a signal comes.
setInterval(() => {}, 1 << 30);
