export { createBroker, type Broker } from './broker.ts';
export { loadConfig, type BrokerConfig } from './config.ts';
export { setupOnce } from './domain/setup.ts';
export { openSqliteStorage } from './storage/sqlite/index.ts';
