/**
 * A worker with the real activities on the jest run's Temporal dev server, and
 * a client beside it: what every integration test starts with. The client
 * remembers every workflow it starts, updates or signals, so each test can end
 * with the record check (tests/support/records.ts) over the workflows it touched.
 */
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { freePort, loadSearchAttributes, startTemporalDev, type TemporalDevOptions } from '../../scripts/stack';
import { testDeps, testWorker, type TestDeps } from './deps';

export interface DevServerHarness {
  deps: TestDeps;
  client: Client;
  nativeConnection: NativeConnection;
  worker: Worker;
  /** The workflows the client started, updated or signalled since the last call (then forgotten). */
  touchedWorkflows(): string[];
  /** What each workflow touched since the last touchedWorkflows() is waiting on: its pending workflow task and activities. */
  pendingWork(): Promise<string[]>;
  /** Stops the worker, closes the connections and the database. */
  close(): Promise<void>;
}

export interface DevServerClient {
  deps: TestDeps;
  client: Client;
  close(): Promise<void>;
}

/** The run's database and a client of the dev server, without a worker of its own. */
export async function startDevServerClient(): Promise<DevServerClient> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is set by jest globalSetup');
  const deps = testDeps();
  const connection = await Connection.connect({ address });
  return {
    deps,
    client: new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' }),
    async close() {
      await connection.close();
      await deps.close();
    },
  };
}

/** A running worker with the real activities on `address`; stop() ends it and closes its connection. */
async function runTestWorker(address: string, namespace: string, deps: TestDeps, overrides: Partial<WorkerOptions> = {}) {
  const native = await NativeConnection.connect({ address });
  const worker = await testWorker(native, deps, overrides, namespace);
  const running = worker.run();
  return {
    native,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await native.close();
    },
  };
}

export async function startDevServerWorker(overrides: Partial<WorkerOptions> = {}): Promise<DevServerHarness> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is set by jest globalSetup');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const deps = testDeps();
  const connection = await Connection.connect({ address });
  const { native, worker, ...running } = await runTestWorker(address, namespace, deps, overrides);
  const touched = new Set<string>();
  const track: WorkflowClientInterceptor = {
    async startWithDetails(input, next) {
      touched.add(input.options.workflowId);
      return next(input);
    },
    async startUpdate(input, next) {
      touched.add(input.workflowExecution.workflowId);
      return next(input);
    },
    async signal(input, next) {
      touched.add(input.workflowExecution.workflowId);
      return next(input);
    },
  };
  const client = new Client({ connection, namespace, interceptors: { workflow: [track] } });
  return {
    deps,
    client,
    nativeConnection: native,
    worker,
    touchedWorkflows() {
      const ids = [...touched];
      touched.clear();
      return ids;
    },
    async pendingWork() {
      const lines: string[] = [];
      for (const id of touched) {
        const { raw, status } = await client.workflow.getHandle(id).describe();
        const task = raw.pendingWorkflowTask ? [`workflow task ${raw.pendingWorkflowTask.state ?? ''} attempt ${raw.pendingWorkflowTask.attempt ?? 1}`] : [];
        const activities = (raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} ${a.state ?? ''} attempt ${a.attempt ?? 1}${a.lastFailure?.message ? ` (${a.lastFailure.message})` : ''}`);
        if (task.length || activities.length) lines.push(`${id} ${status.name}: ${[...task, ...activities].join('; ')}`);
      }
      return lines;
    },
    async close() {
      await running.stop();
      await connection.close();
      await deps.close();
    },
  };
}

/**
 * A dev server of the test file's own, with a worker and a client on it: for what must not meet the
 * run's shared server (server settings, workflows that would outlive the file), stopped with it.
 */
export async function startOwnDevServerWorker(settings: Pick<TemporalDevOptions, 'dynamicConfig'> = {}): Promise<DevServerClient> {
  const deps = testDeps();
  const temporal = await startTemporalDev({ port: await freePort(), namespace: 'default', searchAttributes: loadSearchAttributes(() => {}), log: () => {}, ...settings });
  const connection = await Connection.connect({ address: temporal.address });
  const worker = await runTestWorker(temporal.address, temporal.namespace, deps);
  return {
    deps,
    client: new Client({ connection, namespace: temporal.namespace }),
    async close() {
      await worker.stop();
      await connection.close();
      await temporal.stop();
      await deps.close();
    },
  };
}
