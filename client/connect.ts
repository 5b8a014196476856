// Opens a Temporal client for the CLI and the API, with an error a user can act on.
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../domain/config.js';
import { CycleClient } from './cycle-client.js';
import { UserError } from './errors.js';

export async function connect(config: Config): Promise<{ cycles: CycleClient; close: () => Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
  } catch (err) {
    throw new UserError(
      `无法连接 Temporal ${config.TEMPORAL_ADDRESS}，请先运行 npm start / cannot reach Temporal at ${config.TEMPORAL_ADDRESS}; is \`npm start\` running? (${(err as Error).message})`,
    );
  }
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  return { cycles: new CycleClient(client, { taskQueue: config.TEMPORAL_TASK_QUEUE }), close: () => connection.close() };
}
