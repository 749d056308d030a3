/**
 * A worker with the real activities on the jest run's Temporal dev server, and
 * a client beside it: what every integration test starts with.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { testDeps, testWorker, type TestDeps } from './deps';

export interface DevServerHarness {
  deps: TestDeps;
  client: Client;
  nativeConnection: NativeConnection;
  worker: Worker;
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

export async function startDevServerWorker(overrides: Partial<WorkerOptions> = {}): Promise<DevServerHarness> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is set by jest globalSetup');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const deps = testDeps();
  const connection = await Connection.connect({ address });
  const native = await NativeConnection.connect({ address });
  const worker = await testWorker(native, deps, overrides, namespace);
  const running = worker.run();
  return {
    deps,
    client: new Client({ connection, namespace }),
    nativeConnection: native,
    worker,
    async close() {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
      await deps.close();
    },
  };
}

/** Polls `fn` until `ok` holds or the time is up; returns the last value for the assertion to judge. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
}
