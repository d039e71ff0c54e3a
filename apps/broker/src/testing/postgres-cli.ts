import { startPostgres } from './postgres-server.ts';

/**
 * A throwaway PostgreSQL as a process, for whoever cannot import the broker's
 * test support: scripts/lib/test.sh's `pg` suite (one cluster for the run;
 * test processes given BECKON_TEST_PG_ADMIN_URL make their databases there)
 * and bench/broker-api. Prints the cluster's admin URL on one line, and with
 * `--database` the URL of a fresh database on a second; then runs until
 * SIGTERM or SIGINT and takes the cluster with it. `--durable`: PostgreSQL's
 * own durability settings, as deployed (the benches), not the tests' fsync=off.
 */
const server = await startPostgres({ durable: process.argv.includes('--durable') });
process.stdout.write(`${server.adminUrl}\n`);
if (process.argv.includes('--database')) process.stdout.write(`${await server.createDatabase()}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// Keeps the process alive until a signal comes.
setInterval(() => {}, 1 << 30);
