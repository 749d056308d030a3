// The API process.
import { Client, Connection } from '@temporalio/client';
import { createMailer } from '../activities/mailer';
import { payloadCodec } from '../common/codec';
import { loadConfig } from '../common/config';
import { consoleBaseUrl } from '../common/consoleLinks';
import { createDb } from '../common/db';
import { createApp } from './app';
import { RATE_LIMIT_SCOPE } from './rateLimits';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  // The codec lets the API (the admin timeline, the Web UI's codec endpoint) read the encrypted payloads.
  const codec = payloadCodec(config.DUBAN_PAYLOAD_KEYS);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: codec ? { payloadCodecs: [codec] } : undefined });
  // Sign-in codes go out through the same SMTP server as the notices.
  const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM);
  const server = createApp({
    db,
    client,
    mailer,
    codec,
    temporalUiUrl: config.TEMPORAL_UI_URL,
    rateLimits: { windowMs: config.RATE_LIMIT_WINDOW_MS, perCaller: config.RATE_LIMIT_PER_CALLER, perWorkflow: config.RATE_LIMIT_PER_WORKFLOW, scope: RATE_LIMIT_SCOPE },
  }).listen(config.API_PORT, '0.0.0.0', () => {
    console.log(`API listening on http://127.0.0.1:${config.API_PORT}/api; web console at ${consoleBaseUrl()}/`);
  });
  const stop = () => {
    server.close(() => {
      mailer.close();
      void Promise.all([db.$disconnect(), connection.close()]).then(() => process.exit(0));
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
