import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { Keyring } from './crypto/keyring.ts';
import type { Db, Engine } from './db/database.ts';

/** What every service needs, built once at start and passed in (never read from globals). */
export interface AppContext {
  config: Config;
  db: Db;
  /**
   * For reads that may lag the primary by a moment (public catalogue, open data, document
   * verification): a streaming replica when DATABASE_REPLICA_URL is set, else `db` itself. Never
   * for a read that a write depends on, nor one that must see the caller's own write.
   */
  readDb: Db;
  engine: Engine;
  keyring: Keyring;
  logger: Logger;
}
