// The application database for the CLI and the API, opened from the configuration, with an error a user can act on.
import type { Config } from '../domain/config.js';
import { connectionFor, openStore, type Store } from '../store/index.js';
import { UserError } from './errors.js';

export async function openConfiguredStore(config: Config): Promise<Store> {
  try {
    return await openStore(connectionFor(config), { max: 4 });
  } catch (err) {
    throw new UserError(`无法连接数据库 / cannot reach the database: ${(err as Error).message}`);
  }
}
