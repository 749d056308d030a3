/**
 * Jest setupFiles: each jest worker process has a stack of its own on the run's
 * services — a Temporal namespace of the dev server and a PostgreSQL database
 * (globalSetup creates one of each per worker, in JEST_WORKER_ID order).
 * Test files running at the same time then share neither a task queue nor the
 * records of a period's one workflow (a year's, a month's): a worker that shuts
 * down at the end of one file interrupts its polls, and an activity task of
 * another file's workflow handed to such a poll waited out its start-to-close
 * timeout (a minute); and two namespaces' workflows of the same period would
 * write one database row.
 */
const worker = Number(process.env.JEST_WORKER_ID ?? '1');
const prefix = process.env.DUBAN_TEST_NAMESPACE_PREFIX;
if (prefix) process.env.TEMPORAL_NAMESPACE = `${prefix}${worker}`;
const databases = process.env.DUBAN_TEST_WORKER_DATABASES;
if (databases) process.env.DATABASE_URL = (JSON.parse(databases) as string[])[worker - 1];
