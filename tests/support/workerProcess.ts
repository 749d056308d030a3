/**
 * The real worker (worker/main.ts) as a child process against the test
 * services, for tests that kill, stop and restart it. The workflow bundle is
 * built once per test file (or is the run's prebuilt one) so a restart takes
 * about a second, not a webpack run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { REPO_ROOT, type ManagedProcess } from '../../scripts/stack';
import { WORKFLOWS_PATH } from '../../worker/createWorker';
import { prebuiltWorkflowBundle } from './deps';

const quiet = { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export async function buildBundleFile(): Promise<string> {
  const prebuilt = prebuiltWorkflowBundle();
  if (prebuilt) return prebuilt;
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bundle-')), 'workflow-bundle.js');
  fs.writeFileSync(file, code);
  return file;
}

export interface WorkerChild {
  proc: ManagedProcess;
  /** Resolves with the first line matching `re` (from now on). */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * The processes compiled to JavaScript (tsconfig.build.json, what the Docker image runs) that
 * `npm test` builds before its slow suite (DUBAN_TEST_APP_DIR): a worker started a hundred times
 * then loads in about a second instead of tsx's several. Unset (a single test file run by hand), tsx.
 */
export function prebuiltApp(): string | undefined {
  return process.env.DUBAN_TEST_APP_DIR || undefined;
}

/** Starts worker/main (one process: a SIGKILL leaves nothing behind), compiled when npm test built it. */
export function startWorkerChild(bundlePath: string, env: NodeJS.ProcessEnv = {}): Promise<WorkerChild> {
  const app = prebuiltApp();
  const script = app ? path.join(app, 'worker/main.js') : path.join(REPO_ROOT, 'worker/main.ts');
  return startChild(script, { ...process.env, WORKFLOW_BUNDLE_PATH: bundlePath, ...env }, /worker polling task queue/, { compiled: !!app });
}

/** Starts a duban process (TypeScript through tsx, or `compiled` JavaScript) and waits for its `ready` line. */
export async function startChild(script: string, env: NodeJS.ProcessEnv, ready: RegExp, opts: { compiled?: boolean } = {}): Promise<WorkerChild> {
  const name = path.basename(path.dirname(script));
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  // The ready lines are logged at info: the quieter level the test run sets would hide them.
  const proc = spawnPlain([script], { ...env, LOG_LEVEL: 'info' }, (line) => {
    for (const w of [...waiters]) {
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  }, opts);
  const child: WorkerChild = {
    proc,
    waitForLine: (re, timeoutMs = 60_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${re} within ${timeoutMs} ms\n${proc.tail()}`)), timeoutMs);
        const w = {
          re,
          resolve: (l: string) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        waiters.push(w);
        void proc.exited.then(() => {
          if (waiters.includes(w)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(w), 1);
            reject(new Error(`${name} exited before a line matching ${re}\n${proc.tail()}`));
          }
        });
      }),
  };
  try {
    await child.waitForLine(ready);
  } catch (err) {
    // A child that never became ready is nobody's to stop: it would outlive the test run.
    proc.child.kill('SIGKILL');
    throw err;
  }
  return child;
}

const children = new Set<import('node:child_process').ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * SIGKILLs every child still running, for a test file's afterAll: a worker left
 * behind by a failed test would keep polling (with its test hooks) and take the
 * next test file's tasks.
 */
export async function killChildren(): Promise<void> {
  const left = [...children];
  for (const c of left) c.kill('SIGKILL');
  await Promise.all(left.map((c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)))));
}

/**
 * `node --import tsx <args>` (or, with `compiled`, plain `node <args>` for the
 * compiled JavaScript production runs) without scripts/stack's `setpriv
 * --pdeathsig` prefix: that signal follows the *thread* that spawned the
 * child, and a worker child here must die only from the signals the test sends it.
 */
export function spawnPlain(args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void, { compiled = false } = {}): ManagedProcess {
  const child = spawn(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const lines: string[] = [];
  const feed = () => {
    let buf = '';
    return (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (lines.length > 200) lines.shift();
        onLine(line);
      }
    };
  };
  child.stdout.on('data', feed());
  child.stderr.on('data', feed());
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? -1);
    });
  });
  return {
    child,
    exited,
    tail: () => lines.slice(-40).join('\n'),
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
