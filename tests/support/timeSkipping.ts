/**
 * A time-skipping Temporal test environment backed by the Java test server
 * that scripts/tools.sh fetched from Maven Central (the SDK's default download
 * from the vendor's site is impossible offline).
 */
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { toolPath } from '../../scripts/stack';

export function testServerPath(): string {
  return process.env.TEMPORAL_TEST_SERVER_PATH || toolPath('test-server');
}

export async function createTimeSkippingEnv(
  opts: Omit<TimeSkippingTestWorkflowEnvironmentOptions, 'server'> = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    ...opts,
    server: { executable: { type: 'existing-path', path: testServerPath() } },
  });
}
