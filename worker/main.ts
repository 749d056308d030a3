// The worker process: runs every workflow and activity of duban, and keeps the
// Temporal Schedules that start them (worker/schedules.ts).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../common/config';
import { payloadDataConverter } from '../common/codec';
import { createDb } from '../common/db';
import { logger, temporalLogger, temporalLogLevel } from '../common/logger';
import { createMailer } from '../activities/mailer';
import { createWorker } from './createWorker';
import { ensureSchedules } from './schedules';

async function main(): Promise<void> {
  const config = loadConfig();
  // SIGINT/SIGTERM start a graceful shutdown: in-flight activities get
  // shutdownGraceTime to finish before being cancelled.
  // The SDK's lines (its core's too) go to duban's JSON log; its metrics, and the
  // activities' own (activities/notices.ts), to the Prometheus endpoint.
  Runtime.install({
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    logger: temporalLogger(logger),
    telemetryOptions: {
      logging: { filter: { core: temporalLogLevel(config.LOG_LEVEL), other: 'ERROR' }, forward: {} },
      ...(config.WORKER_METRICS_ADDRESS === 'off'
        ? {}
        : {
            metrics: {
              // Prometheus' conventions: counters end in _total, durations in _seconds.
              prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
            },
          }),
    },
  });
  // Every activity slot may hold one connection, plus headroom for transactions.
  const db = createDb(config.DATABASE_URL, Math.max(config.DATABASE_POOL_SIZE, config.WORKER_ACTIVITY_CONCURRENCY + 2));
  const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const dataConverter = payloadDataConverter(config.DUBAN_PAYLOAD_KEYS);
  // 第六条: the monthly cycle's schedule exists wherever a worker runs the cycles it starts.
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    await ensureSchedules(new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter }));
  } finally {
    await clientConnection.close();
  }
  const worker = await createWorker(
    { connection, namespace: config.TEMPORAL_NAMESPACE, deps: { db, mailer }, workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH, dataConverter },
    config,
  );
  logger.info(
    { taskQueue: worker.options.taskQueue, metrics: config.WORKER_METRICS_ADDRESS },
    `worker polling task queue "${worker.options.taskQueue}" on ${config.TEMPORAL_ADDRESS}/${config.TEMPORAL_NAMESPACE}`,
  );
  try {
    await worker.run();
  } finally {
    mailer.close();
    await db.$disconnect();
    await connection.close();
  }
}

main().catch((err) => {
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
