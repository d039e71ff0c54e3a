// `scripts/beckon cluster [--brokers N] [--port P]`: PostgreSQL 15, Redis 7,
// N brokers and haproxy on loopback, until Ctrl-C. For trying a cluster, benches and tests.
import { parseArgs } from 'node:util';
import { startCluster } from '../src/testing/cluster.ts';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    'log-level': { type: 'string', default: 'warn' },
  },
});
const brokers = Number(values.brokers);
const port = Number(values.port);
if (!Number.isInteger(brokers) || brokers < 1 || brokers > 32) throw new Error('--brokers: 1 to 32');
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('--port: 1 to 65535');

const cluster = await startCluster({
  brokers,
  port,
  logLevel: values['log-level'],
  env: { BECKON_CONSOLE_DIR: new URL('../../agent-desktop/out/renderer', import.meta.url).pathname },
});
console.log(`Beckon cluster: ${brokers} brokers behind haproxy
  URL:       ${cluster.url}/console/
  admin:     ${cluster.admin.email} / ${cluster.admin.password}
  brokers:   ${cluster.ports.map((p, i) => `b${i + 1} http://127.0.0.1:${p} pid ${cluster.brokers[i]?.child.pid}`).join(', ')}
  haproxy:   ${cluster.haproxy.statsSocket} (runtime API)
  redis:     ${cluster.redis.url}
  database:  ${cluster.databaseUrl}
  data:      ${cluster.dataDir}
Ctrl-C stops everything.`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void cluster.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
