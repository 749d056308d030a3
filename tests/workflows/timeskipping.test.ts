/**
 * Proves the time-skipping test server (Java, fetched by scripts/tools.sh)
 * runs weeks of workflow time in seconds of wall time.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../support/timeSkipping';
import { sleepWorkflow } from '../support/fixtures/sleepWorkflow';

const DAY = 24 * 3600 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('sleeps 21 days of workflow time in seconds', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'timeskipping-smoke',
      workflowsPath: require.resolve('../support/fixtures/sleepWorkflow'),
    });
    const wallStart = Date.now();
    const before = await env.currentTimeMs();
    const result = await worker.runUntil(
      env.client.workflow.execute(sleepWorkflow, {
        taskQueue: 'timeskipping-smoke',
        workflowId: `sleep-${Date.now()}`,
        args: [21 * DAY],
      }),
    );
    const wallMs = Date.now() - wallStart;
    expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(21 * DAY);
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(21 * DAY);
    expect(wallMs).toBeLessThan(60_000);
  });
});
