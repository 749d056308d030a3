// The baseline's worker process (started by bench/stack.ts): bare Temporal with the
// same worker settings as duban's worker, its own process like duban's. It prints a
// line when polling and one per activity run, which the bench counts (B1).
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { BASELINE_NOOP, BASELINE_READY, BASELINE_TASK_QUEUE, createBaselineActivities } from './baseline';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const acts = createBaselineActivities();
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('./baseline'),
    activities: {
      noop: async () => {
        await acts.noop();
        process.stdout.write(`${BASELINE_NOOP}\n`);
      },
    },
    maxConcurrentActivityTaskExecutions: Number(process.env.BASELINE_ACTIVITY_CONCURRENCY),
    maxCachedWorkflows: Number(process.env.BASELINE_MAX_CACHED_WORKFLOWS),
    shutdownGraceTime: '5s',
  });
  const running = worker.run();
  console.log(BASELINE_READY);
  try {
    await running;
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
