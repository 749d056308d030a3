// The API process.
import { Client, Connection } from '@temporalio/client';
import { createMailer } from '../activities/mailer';
import { smsChannel } from '../activities/sms';
import { payloadCodec } from '../common/codec';
import { loadConfig } from '../common/config';
import { consoleBaseUrl } from '../common/consoleLinks';
import { createDb } from '../common/db';
import { logger } from '../common/logger';
import { createApp } from './app';
import { createApiMetrics, metricsApp, type ApiMetrics } from './metrics';
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
  const metrics = createApiMetrics({ processMetrics: true });
  const server = createApp({
    db,
    client,
    mailer,
    codec,
    metrics,
    // The public vote's codes; the SMS gateway of a deployment is plugged in activities/sms.ts.
    sms: smsChannel(config.SMS_CHANNEL, mailer),
    voteSecret: config.DUBAN_VOTE_SECRET,
    trustProxy: config.TRUST_PROXY,
    temporalUiUrl: config.TEMPORAL_UI_URL,
    tokenLifetimeDays: config.TOKEN_LIFETIME_DAYS,
    rateLimits: { windowMs: config.RATE_LIMIT_WINDOW_MS, perAddress: config.RATE_LIMIT_PER_ADDRESS, perCaller: config.RATE_LIMIT_PER_CALLER, perWorkflow: config.RATE_LIMIT_PER_WORKFLOW, scope: RATE_LIMIT_SCOPE },
  }).listen(config.API_PORT, '0.0.0.0', () => {
    logger.info({ port: config.API_PORT }, `API listening on http://127.0.0.1:${config.API_PORT}/api; web console at ${consoleBaseUrl()}/`);
  });
  if (!config.DUBAN_VOTE_SECRET) logger.warn('DUBAN_VOTE_SECRET is not set: the public vote answers 503');
  const metricsServer = listenMetrics(metrics, config.API_METRICS_ADDRESS);
  const stop = () => {
    metricsServer?.close();
    server.close(() => {
      mailer.close();
      void Promise.all([db.$disconnect(), connection.close()]).then(() => process.exit(0));
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The Prometheus endpoint on its own (internal) address; none when it is "off". */
function listenMetrics(metrics: ApiMetrics, address: string) {
  if (address === 'off') return undefined;
  const at = address.lastIndexOf(':');
  const [host, port] = [address.slice(0, at), Number(address.slice(at + 1))];
  return metricsApp(metrics)
    .listen(port, host, () => logger.info({ address }, `API metrics on http://${address}/metrics`))
    .on('error', (err) => {
      // A taken port must not pass unnoticed: the API stops like on any start-up failure.
      logger.fatal({ err, address }, 'API metrics endpoint could not listen');
      process.exit(1);
    });
}

main().catch((err) => {
  logger.fatal({ err }, 'API failed');
  process.exit(1);
});
