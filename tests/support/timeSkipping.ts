/**
 * A time-skipping Temporal test environment backed by the Java test server
 * that scripts/tools.sh fetched from Maven Central (the SDK's default download
 * from the vendor's site is impossible offline). Its clock starts at the wall
 * clock, or at DUBAN_TEST_CLOCK's calendar point (tests/support/testClock.ts).
 */
import { WorkflowClient, type ConnectionPlugin, type WorkflowHandle } from '@temporalio/client';
import type { Workflow, WorkflowResultType } from '@temporalio/common';
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../common/searchAttributes';
import { toolPath } from '../../scripts/stack';
import { testDeps, testWorker, type TestDeps } from './deps';
import { eventually } from './eventually';
import { configuredStart, sleepUntil } from './testClock';

export function testServerPath(): string {
  return process.env.TEMPORAL_TEST_SERVER_PATH || toolPath('test-server');
}

/**
 * The Java test server (grpc-java) allows a client keepalive ping only every
 * 5 minutes and answers faster pings with GOAWAY "too many pings"; the
 * client's default is every 30 s, and a call in flight when the connection is
 * dropped can hang a long test file. Ping less often than the server allows.
 */
const quietKeepalive: ConnectionPlugin = {
  name: 'test-server-keepalive',
  configureConnection: (o) => ({ ...o, channelArgs: { ...o.channelArgs, 'grpc.keepalive_time_ms': 6 * 60_000, 'grpc.keepalive_permit_without_calls': 0 } }),
};

/**
 * The SDK gives the test server 5 s to answer (a constant of its core): on a
 * loaded machine it can need more, so a start that timed out is tried again.
 */
async function startTestServer(opts: TimeSkippingTestWorkflowEnvironmentOptions, attempts = 6): Promise<TestWorkflowEnvironment> {
  for (let i = 1; ; i++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping(opts);
    } catch (err) {
      // The error comes from the native bridge (another realm than jest's: no instanceof Error).
      if (i >= attempts || !String((err as { message?: unknown })?.message).includes('did not start within')) throw err;
      // The SDK gives the JVM a fixed 5 s; on a machine busy with other suites, let the load pass before the next try.
      await new Promise((r) => setTimeout(r, 2_000 * 2 ** (i - 1)));
    }
  }
}

export async function createTimeSkippingEnv(
  opts: Omit<TimeSkippingTestWorkflowEnvironmentOptions, 'server'> = {},
): Promise<TestWorkflowEnvironment> {
  const env = await startTestServer({
    ...opts,
    plugins: [quietKeepalive, ...(opts.plugins ?? [])],
    server: { executable: { type: 'existing-path', path: testServerPath() } },
  });
  // The test server rejects upserts of unknown search attributes: register ours, as the dev server does.
  const types: Record<string, temporal.api.enums.v1.IndexedValueType> = {
    Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
    Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
    Double: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
    Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, types[type]])),
  });
  const start = configuredStart(await env.currentTimeMs());
  if (start) await sleepUntil(env, start);
  return env;
}

/**
 * Terminates a workflow once nothing of it is in flight — no activity, and no
 * workflow task that could schedule one: the Java test server keeps time
 * skipping locked for an activity whose workflow was terminated under it, and
 * later env.sleep calls would then hang.
 */
export async function terminateQuietly(env: TestWorkflowEnvironment, workflowId: string): Promise<void> {
  const h = env.client.workflow.getHandle(workflowId);
  const quiet = async () => {
    const raw = (await h.describe()).raw;
    return (raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask;
  };
  // Quiet twice in a row: a task completing between two looks may have just scheduled an activity.
  const settled = await eventually(async () => (await quiet()) && (await new Promise((r) => setTimeout(r, 200)), await quiet()));
  if (!settled) throw new Error(`${workflowId} still has work in flight`);
  await h.terminate('test done');
}

/**
 * A workflow's result, waited for in real time. The time-skipping client's
 * result() unlocks time skipping while it waits, and the test server then
 * jumps to the next timer of any open workflow — even a run's own ten-year
 * execution timeout — so the test's clock would leap years ahead.
 */
export function resultInRealTime<T extends Workflow>(env: TestWorkflowEnvironment, handle: WorkflowHandle<T>): Promise<WorkflowResultType<T>> {
  const client = new WorkflowClient({ connection: env.connection, namespace: env.namespace ?? 'default' });
  return client.getHandle<T>(handle.workflowId).result();
}

export interface TimeSkippingHarness {
  env: TestWorkflowEnvironment;
  deps: TestDeps;
  /** Stops the worker, closes the database and tears the test server down. */
  close(): Promise<void>;
}

/**
 * A time-skipping environment with a worker of the real activities on it (the
 * run's PostgreSQL database, or `databaseUrl`, and the SMTP sink): what every
 * time-skipping test file and the replay-corpus recorder start with.
 */
export async function startTimeSkippingWorker({ databaseUrl }: { databaseUrl?: string } = {}): Promise<TimeSkippingHarness> {
  const env = await createTimeSkippingEnv();
  const deps = testDeps(databaseUrl);
  const worker = await testWorker(env.nativeConnection, deps);
  const running = worker.run();
  return {
    env,
    deps,
    async close() {
      worker.shutdown();
      await running;
      await deps.close();
      await env.teardown();
    },
  };
}
