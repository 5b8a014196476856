// Opens a Temporal client and the application database for the CLI and the API, with errors a user can act on.
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../domain/config.js';
import type { Store } from '../store/index.js';
import { CycleClient } from './cycle-client.js';
import { UserError } from './errors.js';
import { openConfiguredStore } from './open-store.js';

export async function connect(config: Config, opts: { store?: Store } = {}): Promise<{ cycles: CycleClient; close: () => Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
  } catch (err) {
    throw new UserError(
      `无法连接 Temporal ${config.TEMPORAL_ADDRESS}，请先运行 npm start / cannot reach Temporal at ${config.TEMPORAL_ADDRESS}; is \`npm start\` running? (${(err as Error).message})`,
    );
  }
  let store = opts.store;
  if (!store) {
    try {
      store = await openConfiguredStore(config);
    } catch (err) {
      await connection.close();
      throw err;
    }
  }
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const owned = store;
  return {
    cycles: new CycleClient(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, store }),
    close: async () => {
      await connection.close();
      if (!opts.store) await owned.close();
    },
  };
}
