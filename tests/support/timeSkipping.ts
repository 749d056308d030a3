/**
 * A time-skipping Temporal test environment backed by the Java test server
 * that scripts/tools.sh fetched from Maven Central (the SDK's default download
 * from the vendor's site is impossible offline). Its clock starts at the wall
 * clock, or at DUBAN_TEST_CLOCK's calendar point (tests/support/testClock.ts).
 */
import { WorkflowClient, type ConnectionPlugin, type WorkflowHandle } from '@temporalio/client';
import type { Workflow, WorkflowResultType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../common/searchAttributes';
import { freePort, isPortOpen, spawnManaged, toolPath, type ManagedProcess } from '../../scripts/stack';
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

/** What the SDK's environment is made of; `create` is its own factory, private in its typings. */
type CreateOptions = { server: { type: 'existing' }; address: string; supportsTimeSkipping: true; plugins: ConnectionPlugin[] };

/**
 * A time-skipping environment on a test server this process starts and stops.
 * The SDK's own start gives the JVM a fixed 5 s (a constant of its core) to
 * listen, then kills it: on a 2-core machine busy with other suites a JVM
 * start can take longer for minutes on end, and every retry wastes another
 * start. Here the JVM gets as long as it needs, and the SDK connects to it
 * as it connects to any server, with its time-skipping service on.
 */
class OwnTestServerEnvironment extends TestWorkflowEnvironment {
  private jvm?: ManagedProcess;

  static async start(plugins: ConnectionPlugin[]): Promise<OwnTestServerEnvironment> {
    const create = (this as unknown as { create(o: CreateOptions): Promise<OwnTestServerEnvironment> }).create.bind(this);
    // Inside jest's 120 s hook limit, so a server that never answers fails with its own output.
    const deadline = Date.now() + 90_000;
    let failure = '';
    while (Date.now() < deadline) {
      const port = await freePort();
      // The same arguments the SDK's start passes: the port only.
      const jvm = spawnManaged({ name: 'temporal-test-server', command: testServerPath(), args: [String(port)] });
      const gone = () => jvm.child.exitCode !== null || jvm.child.signalCode !== null;
      // A listening port is not yet a server that answers: under load a first call has been cut off with a
      // broken pipe (CI, date proof). Ask again while the server lives; a server that exited (its port taken
      // between freePort and its bind) is started again on another port.
      while (!gone() && Date.now() < deadline) {
        if (await isPortOpen(port)) {
          try {
            const env = await create({ server: { type: 'existing' }, address: `127.0.0.1:${port}`, supportsTimeSkipping: true, plugins });
            env.jvm = jvm;
            return env;
          } catch (err) {
            failure = `port ${port}: ${(err as Error).message}`;
          }
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      if (gone()) failure = `port ${port}: the server exited`;
      failure += `\n${jvm.tail()}`;
      await jvm.stop('SIGKILL');
    }
    throw new Error(`the Temporal test server did not answer within 90 s; last: ${failure}`);
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    await this.jvm?.stop('SIGTERM', 5_000);
  }
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await OwnTestServerEnvironment.start([quietKeepalive]);
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
  const worker = await testWorker(env.nativeConnection, deps, {}, env.namespace ?? 'default');
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
