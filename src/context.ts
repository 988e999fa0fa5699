import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { Keyring } from './crypto/keyring.ts';
import type { Db, Engine } from './db/database.ts';

/** What every service needs, built once at start and passed in (never read from globals). */
export interface AppContext {
  config: Config;
  db: Db;
  engine: Engine;
  keyring: Keyring;
  logger: Logger;
}
