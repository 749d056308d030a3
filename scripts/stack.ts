/**
 * Reusable launchers for the services duban needs locally: PostgreSQL, the
 * Temporal dev server and the SMTP sink. Used by `npm start` (scripts/dev.ts)
 * and by jest's globalSetup (tests/support/globalSetup.ts), so development and
 * tests run against the same real services.
 *
 * Every launcher returns `{ ..., stop() }`; stop() is idempotent and waits for
 * the service to be gone.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';

export { startSmtpSink, type SmtpSink, type SmtpSinkOptions, type SinkMessage } from './smtp-sink';

const execFileP = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, '..');

const envInt = (name: string, def: number): number => {
  const v = process.env[name];
  if (!v) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}=${v} is not a port number`);
  return n;
};

/** Default ports, overridable from the environment. */
export const DEFAULT_PORTS = {
  get postgres() {
    return envInt('PG_PORT', 55432);
  },
  get temporal() {
    return envInt('TEMPORAL_PORT', 7233);
  },
  get temporalUi() {
    return envInt('TEMPORAL_UI_PORT', 8233);
  },
  get smtp() {
    return envInt('SMTP_PORT', 2525);
  },
  get mailUi() {
    return envInt('MAIL_UI_PORT', 8025);
  },
};

export type Log = (msg: string) => void;
const defaultLog: Log = (msg) => process.stderr.write(`[stack] ${msg}\n`);

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True if something accepts TCP connections on host:port. */
export async function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs scripts/tools.sh to get (installing on first use) an external tool.
 * Its progress messages go straight to our stderr.
 */
export function toolPath(tool: 'temporal' | 'test-server' | 'postgres' | 'chromium' | 'temporal-server' | 'docker-compose'): string {
  return execFileSync('bash', [path.join(REPO_ROOT, 'scripts/tools.sh'), tool], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  }).trim();
}

// ---------------------------------------------------------------- processes

/** Children still running; killed on exit so a crash never leaves orphans behind. */
const liveChildren = new Set<ChildProcess>();
/** Children started in their own process group (kill the group, not just the leader). */
const groupLeaders = new WeakSet<ChildProcess>();
function hardKill(child: ChildProcess) {
  try {
    if (groupLeaders.has(child) && child.pid) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    /* already gone */
  }
}
process.once('exit', () => {
  for (const c of liveChildren) hardKill(c);
});

export interface ManagedProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** The last lines of output, for error messages. */
  tail(): string;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives each output line; default: drop (kept in tail()). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Own process group: a Ctrl-C in the terminal then reaches only the parent,
   * which stops children in its chosen order. SIGKILL goes to the whole group.
   */
  detached?: boolean;
}

/**
 * `setpriv --pdeathsig TERM` (util-linux) makes the kernel send SIGTERM to the
 * child when we die without cleaning up (SIGKILL, a Ctrl-C'd jest), so no
 * server is left running behind. Checked once; without it we rely on the
 * exit handler above.
 */
let pdeathsigPrefix: string[] | undefined;
function dieWithParentPrefix(): string[] {
  if (pdeathsigPrefix === undefined) {
    try {
      execFileSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true'], { stdio: 'ignore' });
      pdeathsigPrefix = ['setpriv', '--pdeathsig', 'TERM', '--'];
    } catch {
      pdeathsigPrefix = [];
    }
  }
  return pdeathsigPrefix;
}

/** Spawns a long-running child, splitting its output into lines. */
export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  // setpriv execs the command, so the pid and signals are the command's own.
  const [command, ...args] = [...dieWithParentPrefix(), opts.command, ...opts.args];
  const child = spawn(command, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  liveChildren.add(child);
  if (opts.detached) groupLeaders.add(child);
  const lines: string[] = [];
  const feed = (stream: 'stdout' | 'stderr') => {
    let buf = '';
    return (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        lines.push(line);
        if (lines.length > 200) lines.shift();
        opts.onLine?.(line, stream);
      }
    };
  };
  child.stdout?.on('data', feed('stdout'));
  child.stderr?.on('data', feed('stderr'));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve(code ?? signal ?? -1);
    });
    child.once('error', (err) => {
      liveChildren.delete(child);
      lines.push(`${opts.name}: ${String(err)}`);
      resolve(-1);
    });
  });
  return {
    child,
    exited,
    tail: () => lines.slice(-40).join('\n'),
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null || !liveChildren.has(child)) return;
      // The signal goes to the child only (tsx relays it to its node process);
      // the group gets SIGKILL if the grace period runs out.
      if (signal === 'SIGKILL') hardKill(child);
      else child.kill(signal);
      const timer = setTimeout(() => hardKill(child), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------- postgres

export interface PostgresOptions {
  dataDir: string;
  port?: number;
  database: string;
  /** Directory with initdb/pg_ctl; default: from scripts/tools.sh. */
  binDir?: string;
  log?: Log;
}

export interface PostgresHandle {
  url: string;
  port: number;
  dataDir: string;
  /** Whether this call started the server (false = reused a running one; stop() then leaves it alone). */
  started: boolean;
  stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** PostgreSQL refuses to run as root: as root, run its binaries as user postgres. */
async function runPg(binDir: string, tool: string, args: string[]): Promise<string> {
  const exe = path.join(binDir, tool);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  try {
    const { stdout } = await execFileP(cmd, argv, { cwd: '/', encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`, { cause: err });
  }
}

/** Can user postgres pass through dir? (Every ancestor must be traversable.) */
function postgresCanTraverse(dir: string): boolean {
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The directory the cluster actually lives in. As root, user postgres must be
 * able to reach dataDir; when the repo sits under a private home (e.g. /root,
 * mode 700) it cannot, and we do not loosen permissions outside the project, so
 * the cluster then lives under /var/tmp (kept across reboots) and dataDir
 * becomes a symlink to it.
 */
function resolveDataDir(dataDir: string, log: Log): string {
  const wanted = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(wanted), { recursive: true });
  if (!isRoot()) {
    fs.mkdirSync(wanted, { recursive: true, mode: 0o700 });
    return wanted;
  }
  let real = wanted;
  try {
    if (fs.lstatSync(wanted).isSymbolicLink()) real = fs.realpathSync(wanted);
  } catch {
    /* does not exist yet */
  }
  if (real === wanted && !postgresCanTraverse(path.dirname(wanted))) {
    const hash = crypto.createHash('sha1').update(wanted).digest('hex').slice(0, 12);
    real = path.join('/var/tmp', `duban-pg-${hash}`);
    log(`user postgres cannot reach ${path.dirname(wanted)}; keeping the cluster in ${real} (symlinked from ${wanted})`);
    if (fs.existsSync(wanted) && fs.readdirSync(wanted).length === 0) fs.rmdirSync(wanted);
    if (!fs.existsSync(wanted)) {
      fs.mkdirSync(real, { recursive: true, mode: 0o700 });
      fs.symlinkSync(real, wanted);
    }
  }
  fs.mkdirSync(real, { recursive: true, mode: 0o700 });
  // initdb insists on owning the data dir and on mode 0700 or 0750.
  execFileSync('chown', ['-R', 'postgres:postgres', real]);
  fs.chmodSync(real, 0o700);
  return real;
}

/** PID and port of a postmaster already running on dataDir, if any. */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // stale pid file: pg_ctl start will clean it up
  }
  // Ensure the pid really is a postgres process, not a recycled pid.
  try {
    const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    if (!comm.startsWith('postgres')) return undefined;
  } catch {
    /* no /proc: trust the pid */
  }
  return { pid, port };
}

const pgUrl = (port: number, db: string) => `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(db)}`;

/** Creates `database` on the server at `adminUrl`'s host if it does not exist yet. */
export async function createDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new PgClient({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}" ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
}

/** Drops the database named in `url` (terminating its sessions first). */
export async function dropDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  u.pathname = '/postgres';
  const client = new PgClient({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
      database,
    ]);
    await client.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts (or reuses) a project-owned PostgreSQL cluster in dataDir, listening
 * only on 127.0.0.1, and makes sure `database` exists.
 */
export async function startPostgres(opts: PostgresOptions): Promise<PostgresHandle> {
  const log = opts.log ?? defaultLog;
  const port = opts.port ?? DEFAULT_PORTS.postgres;
  const binDir = opts.binDir ?? toolPath('postgres');
  const dataDir = resolveDataDir(opts.dataDir, log);

  const running = runningPostmaster(dataDir);
  if (running) {
    if (running.port !== port) log(`PostgreSQL already running on ${dataDir} with port ${running.port} (not ${port}); using it`);
    else log(`reusing PostgreSQL already running on ${dataDir} (pid ${running.pid})`);
    const url = pgUrl(running.port, opts.database);
    await createDatabase(url, opts.database);
    return { url, port: running.port, dataDir, started: false, stop: async () => {} };
  }

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (fs.readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster; remove it or pick another directory`);
    }
    log(`initdb ${dataDir}`);
    // Trust auth is fine: the server only listens on loopback and the unix socket inside dataDir.
    await runPg(binDir, 'initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--auth-local=trust',
      '--auth-host=trust',
      '--no-sync',
    ]);
  }

  if (await isPortOpen(port)) {
    throw new Error(`port ${port} is already in use; set PG_PORT to a free port (or DATABASE_URL to an existing database)`);
  }

  // Unix socket paths are limited to ~107 bytes; without room, TCP only.
  const socketDir = path.join(dataDir, `.s.PGSQL.${port}`).length < 100 ? dataDir : '';
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const serverOpts = [
    `-p ${port}`,
    `-c listen_addresses=127.0.0.1`,
    `-c unix_socket_directories=${q(socketDir)}`,
    // A dev/test cluster: speed over durability.
    `-c fsync=off`,
    `-c synchronous_commit=off`,
    `-c full_page_writes=off`,
  ].join(' ');
  log(`starting PostgreSQL on 127.0.0.1:${port} (${dataDir})`);
  await runPg(binDir, 'pg_ctl', ['-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-w', '-t', '60', '-o', serverOpts, 'start']).catch(
    (err: Error) => {
      let logTail = '';
      try {
        logTail = fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
      } catch {
        /* no log */
      }
      throw new Error(`${err.message}\n--- ${dataDir}/server.log ---\n${logTail}`);
    },
  );

  const url = pgUrl(port, opts.database);
  await createDatabase(url, opts.database);

  let stopped = false;
  return {
    url,
    port,
    dataDir,
    started: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      log('stopping PostgreSQL');
      await runPg(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']).catch((err: Error) =>
        log(`pg_ctl stop: ${err.message}`),
      );
    },
  };
}

/**
 * Stops a cluster started by startPostgres on dataDir, whoever started it
 * (e.g. the last of several test runs sharing it). No-op if it is not running.
 */
export async function stopPostgres(dataDir: string, opts: { binDir?: string; log?: Log } = {}): Promise<void> {
  const real = fs.existsSync(dataDir) ? fs.realpathSync(dataDir) : dataDir;
  if (!runningPostmaster(real)) return;
  (opts.log ?? defaultLog)('stopping PostgreSQL');
  await runPg(opts.binDir ?? toolPath('postgres'), 'pg_ctl', ['-D', real, '-m', 'fast', '-w', '-t', '60', 'stop']);
}

// ---------------------------------------------------------------- temporal

export interface TemporalDevOptions {
  /** SQLite file to persist to; omitted = in-memory. */
  dbFile?: string;
  port?: number;
  /** Web UI port; omitted = no UI (--headless). */
  uiPort?: number;
  namespace?: string;
  /** More namespaces to create beside it, each with the same search attributes. */
  moreNamespaces?: string[];
  /** Name → type as the Temporal CLI spells it (Keyword, KeywordList, Datetime, Text, Int, Double, Bool). */
  searchAttributes?: Record<string, string>;
  /** Temporal CLI binary; default: from scripts/tools.sh. */
  binary?: string;
  log?: Log;
  /** Receives the server's own output lines (default: dropped, shown on failure). */
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
  /** Run in its own process group (see SpawnOptions.detached). */
  detached?: boolean;
  /** Server settings (`--dynamic-config-value`), e.g. a test's early continue-as-new suggestion. */
  dynamicConfig?: Record<string, number | string | boolean>;
}

export interface TemporalDevHandle {
  address: string;
  namespace: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/** Waits until a Temporal frontend at `address` serves `namespace`. */
export async function waitForTemporal(address: string, namespace: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  const [host, portStr] = [address.slice(0, address.lastIndexOf(':')), address.slice(address.lastIndexOf(':') + 1)];
  while (Date.now() < deadline && alive()) {
    if (await isPortOpen(Number(portStr), host)) {
      let conn: Awaited<ReturnType<typeof Connection.connect>> | undefined;
      try {
        conn = await Connection.connect({ address, connectTimeout: 2000 });
        await conn.workflowService.getSystemInfo({});
        await conn.workflowService.describeNamespace({ namespace });
        return;
      } catch (err) {
        lastErr = err;
      } finally {
        await conn?.close().catch(() => {});
      }
    }
    await sleep(300);
  }
  throw new Error(`Temporal at ${address} did not become ready: ${lastErr instanceof Error ? lastErr.message : 'timeout'}`);
}

/** Starts `temporal server start-dev` and waits until it serves the namespace. */
export async function startTemporalDev(opts: TemporalDevOptions): Promise<TemporalDevHandle> {
  const log = opts.log ?? defaultLog;
  const port = opts.port ?? DEFAULT_PORTS.temporal;
  const namespace = opts.namespace ?? 'default';
  const binary = opts.binary ?? toolPath('temporal');
  if (await isPortOpen(port)) {
    throw new Error(`port ${port} is already in use; set TEMPORAL_PORT to a free port (or TEMPORAL_ADDRESS to an existing server)`);
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace, '--log-level', 'warn'];
  for (const more of opts.moreNamespaces ?? []) args.push('--namespace', more);
  if (opts.uiPort !== undefined) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    const dbFile = path.resolve(opts.dbFile);
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  for (const [name, type] of Object.entries(opts.searchAttributes ?? {})) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  log(`starting Temporal dev server on 127.0.0.1:${port}${opts.dbFile ? ` (${opts.dbFile})` : ' (in-memory)'}`);
  const proc = spawnManaged({ name: 'temporal', command: binary, args, onLine: opts.onLine, detached: opts.detached });
  const address = `127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForTemporal(address, namespace, opts.startTimeoutMs ?? 90_000, () => liveChildren.has(proc.child)),
      proc.exited.then((code) => {
        throw new Error(`temporal server exited early (${code})`);
      }),
    ]);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- temporal output ---\n${proc.tail()}`, { cause: err });
  }
  return {
    address,
    namespace,
    uiUrl: opts.uiPort !== undefined ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    async stop() {
      // SIGTERM lets the server flush its SQLite file.
      await proc.stop('SIGTERM', 15_000);
    },
  };
}

/** Reads SEARCH_ATTRIBUTES from common/searchAttributes.ts if the app defines it. */
export function loadSearchAttributes(log: Log = defaultLog): Record<string, string> {
  const file = path.join(REPO_ROOT, 'common/searchAttributes.ts');
  if (!fs.existsSync(file)) return {};
  try {
    // require, not import(): works the same under tsx and under jest's transform (CJS).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { SEARCH_ATTRIBUTES?: Record<string, string> };
    return mod.SEARCH_ATTRIBUTES ?? {};
  } catch (err) {
    log(`could not load ${file}: ${String(err)}; registering no search attributes`);
    return {};
  }
}
