// Builds duban's worker. Used by worker/main.ts and by the tests, so both run
// the same options.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter, Duration } from '@temporalio/common';
import type { Config } from '../common/config';
import { TASK_QUEUE } from '../common/taskQueues';
import { createActivities, type ActivityDeps } from '../activities';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  taskQueue?: string;
  /** A prebuilt bundle (production) instead of bundling at start. */
  workflowBundlePath?: string;
  overrides?: Partial<WorkerOptions>;
  /** Payload encryption (common/codec.ts); the same converter as the clients'. */
  dataConverter?: DataConverter;
}

export async function createWorker(o: CreateWorkerOptions, config?: Pick<Config, 'WORKER_ACTIVITY_CONCURRENCY' | 'WORKER_MAX_CACHED_WORKFLOWS' | 'WORKER_SHUTDOWN_GRACE'>): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue ?? TASK_QUEUE,
    ...(o.workflowBundlePath ? { workflowBundle: { codePath: o.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(o.deps),
    ...(o.dataConverter ? { dataConverter: o.dataConverter } : {}),
    // Activity slots are sized together with the database pool (see worker/main.ts).
    maxConcurrentActivityTaskExecutions: config?.WORKER_ACTIVITY_CONCURRENCY ?? 8,
    maxCachedWorkflows: config?.WORKER_MAX_CACHED_WORKFLOWS ?? 500,
    // The default grace time of 0 would cancel in-flight activities on shutdown.
    shutdownGraceTime: (config?.WORKER_SHUTDOWN_GRACE ?? '30s') as Duration,
    ...o.overrides,
  });
}
