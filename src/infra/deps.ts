import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { ChangeBus } from './bus.js';
import type { Config } from './config.js';
import type { SecretBox } from './crypto.js';
import type { Metrics } from './metrics.js';

/** What services are built with: the database, the change bus, configuration, the secret box, a logger. */
export interface ServiceDeps {
  db: Db;
  dbKind: 'postgres' | 'pglite';
  bus: ChangeBus;
  config: Config;
  secrets: SecretBox;
  log: Logger;
  /** This server process's id, so it can tell its own notifications from other nodes'. */
  nodeId: string;
  /** This node's Prometheus metrics. */
  metrics: Metrics;
}
