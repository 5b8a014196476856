// The API process on its own (production: docker-compose's `api` service).
import { parseConfig } from '../../domain/config.js';
import { connect } from '../connect.js';
import { buildApi } from './app.js';
import { logOptionsFrom } from './plugins/logging.js';

const config = parseConfig(process.env);
const { cycles, close } = await connect(config);
const app = await buildApi({ cycles, log: logOptionsFrom(config) });
await app.listen({ host: config.API_HOST, port: config.API_PORT });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(close).then(() => process.exit(0));
  });
}
