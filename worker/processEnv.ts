// What the worker process's environment adds, wherever it is started: `npm start`
// (scripts/dev.ts) and the benchmarks here, docker-compose.yml for itself. A value
// already in the environment wins.
//
// glibc gives threads that allocate at the same time arenas of their own (up to 8 per
// core) and rarely hands their memory back. The worker allocates from many threads
// (the SDK's Rust core, the workflow thread, libuv's pool): its RSS grew by 1.2 MiB
// per cached document workflow with the default and by 0.65 MiB with two arenas
// (bench/RESULTS.md, "Findings of 2026-12-03").
export const WORKER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** `env` with the worker's additions under it. */
export function workerProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...WORKER_PROCESS_ENV, ...env };
}
