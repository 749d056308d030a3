/**
 * Jest setupFiles: each jest worker process talks to its own Temporal namespace
 * on the run's dev server (globalSetup creates one per worker). Test files
 * running at the same time then never poll the same task queue: a worker that
 * shuts down at the end of one file interrupts its polls, and an activity task
 * of another file's workflow handed to such a poll waits out its start-to-close
 * timeout (a minute) before it is retried.
 */
const prefix = process.env.DUBAN_TEST_NAMESPACE_PREFIX;
if (prefix) process.env.TEMPORAL_NAMESPACE = `${prefix}${process.env.JEST_WORKER_ID ?? '1'}`;
