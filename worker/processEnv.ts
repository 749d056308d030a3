// What the worker process's environment adds, wherever it is started: `npm start`
// (scripts/dev.ts) and the benchmarks here, docker-compose.yml for itself. A value
// already in the environment wins.
//
// glibc gives threads that allocate at the same time arenas of their own (up to 8 per
// core) and rarely hands their memory back. The worker allocates from many threads
// (the SDK's Rust core, the workflow thread, libuv's pool), so its RSS grew by about
// 0.65 MiB per cached workflow with the default and 0.3 MiB with two arenas
// (bench/RESULTS.md, "The worker's memory").
export const WORKER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** `env` with the worker's additions under it. */
export function workerProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...WORKER_PROCESS_ENV, ...env };
}
