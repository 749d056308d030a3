/**
 * `npm start`: runs duban locally with real services that keep their data in
 * .data/ between runs — PostgreSQL (.data/pg), the Temporal dev server
 * (.data/temporal.db), an SMTP sink (.data/mail) — then the worker and the API
 * as child processes with their output prefixed.
 *
 * Any of DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL set in the environment means
 * "use that existing service" and the corresponding local one is not started.
 *
 * Ctrl-C (SIGINT) or SIGTERM stops everything in reverse order: API, worker
 * (SIGTERM, with time to finish its tasks), SMTP sink, Temporal, PostgreSQL.
 * A second Ctrl-C kills what is left at once. If the worker or the API exits
 * on its own, everything is stopped and the exit code is 1.
 *
 * `npm start -- --services-only` starts only the services.
 */
import { newToken } from '../common/tokens';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_PORTS,
  REPO_ROOT,
  loadSearchAttributes,
  spawnManaged,
  startPostgres,
  startSmtpSink,
  startTemporalDev,
  waitForTemporal,
  type ManagedProcess,
} from './stack';
import { newPayloadKey } from '../common/codec';
import { loadConfig } from '../common/config';
import { localDataDir, removeLocalEnv, startSummary, writeLocalEnv } from './localEnv';
import { workerProcessEnv } from '../worker/processEnv';

const DATA = localDataDir();
/** `npm start -- --services-only`: only PostgreSQL, Temporal and the mail sink (e.g. to run the worker in watch mode). */
const servicesOnly = process.argv.includes('--services-only');
const color = process.stdout.isTTY ? (code: number, s: string) => `\x1b[${code}m${s}\x1b[0m` : (_: number, s: string) => s;
const log = (msg: string) => console.log(`${color(36, '[dev]')} ${msg}`);
const prefixer = (name: string, code: number) => {
  const tag = color(code, `[${name}]`.padEnd(11));
  return (line: string) => console.log(`${tag} ${line}`);
};

/** What to stop on shutdown, in start order (stopped in reverse). */
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
let shuttingDown = false;

async function shutdown(exitCode: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    log('shutting down...');
    for (const { name, stop } of [...stops].reverse()) {
      try {
        await stop();
        log(`stopped ${name}`);
      } catch (err) {
        log(`stopping ${name} failed: ${String(err)}`);
      }
    }
  }
  process.exit(exitCode);
}

// A closed terminal or pipe must not crash us half-way through shutdown.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

let firstSignalAt = 0;
function onSignal(signal: NodeJS.Signals) {
  // One Ctrl-C can arrive more than once (the terminal signals the whole
  // process group and npm/tsx relay it too): repeats within 2s are the same press.
  if (shuttingDown && Date.now() - firstSignalAt < 2000) return;
  if (shuttingDown) {
    // Second Ctrl-C: do not wait any longer (the exit handler in stack.ts SIGKILLs children).
    log(`${signal} again: killing what is left`);
    process.exit(130);
  }
  firstSignalAt = Date.now();
  log(`${signal} received`);
  void shutdown(0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

function runStep(name: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  log(`${name}...`);
  execFileSync(command, args, { cwd: REPO_ROOT, env, stdio: 'inherit' });
}

/** Spawns `tsx <file>` as a service child; it gets its own process group so a terminal Ctrl-C reaches only us, and we decide the order. */
function startChild(name: string, file: string, env: NodeJS.ProcessEnv, code: number, graceMs: number): ManagedProcess | undefined {
  if (!fs.existsSync(path.join(REPO_ROOT, file))) {
    log(`WARNING: ${file} does not exist yet; not starting the ${name}`);
    return undefined;
  }
  const out = prefixer(name, code);
  const proc = spawnManaged({
    name,
    command: path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
    args: [file],
    env,
    detached: true,
    onLine: (line) => out(line),
  });
  stops.push({ name, stop: () => proc.stop('SIGTERM', graceMs) });
  void proc.exited.then((codeOrSignal) => {
    if (!shuttingDown) {
      log(`${name} exited unexpectedly (${codeOrSignal}); stopping everything`);
      void shutdown(1);
    }
  });
  return proc;
}

async function main() {
  fs.mkdirSync(DATA, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.TEMPORAL_NAMESPACE ||= 'default';
  env.API_PORT ||= '3000';
  // Links in e-mails and the sign-in mail point at the console (API_PUBLIC_URL in production).
  env.API_PUBLIC_URL ||= `http://127.0.0.1:${env.API_PORT}`;
  // What we set up ourselves, published in .data/local.env for the command-line tools beside us.
  const made: Record<string, string> = {};

  // --- PostgreSQL
  if (env.DATABASE_URL) {
    log('using the existing database of DATABASE_URL');
  } else {
    const pg = await startPostgres({ dataDir: path.join(DATA, 'pg'), port: DEFAULT_PORTS.postgres, database: 'duban', log });
    stops.push({ name: 'PostgreSQL', stop: () => pg.stop() });
    env.DATABASE_URL = made.DATABASE_URL = pg.url;
  }

  // --- schema and seed data (the seed must be idempotent: it runs on every start)
  const npxBin = (tool: string) => path.join(REPO_ROOT, 'node_modules/.bin', tool);
  if (fs.existsSync(path.join(REPO_ROOT, 'prisma.config.ts')) && fs.existsSync(path.join(REPO_ROOT, 'prisma/migrations'))) {
    runStep('prisma migrate deploy', npxBin('prisma'), ['migrate', 'deploy'], env);
  } else {
    log('WARNING: no prisma.config.ts / prisma/migrations; skipping migrations');
  }
  // A fresh system must be drivable: without DUBAN_ADMIN_TOKEN, a development
  // token is made once and kept in .data/admin-token (the seed stores its hash).
  let adminTokenFile: string | undefined;
  if (!env.DUBAN_ADMIN_TOKEN) {
    adminTokenFile = path.join(DATA, 'admin-token');
    env.DUBAN_ADMIN_TOKEN = keptSecret(adminTokenFile, newToken);
  }
  // Payloads in Temporal are always encrypted (common/codec.ts): without
  // DUBAN_PAYLOAD_KEYS a development key is made once and kept in .data/payload-keys.
  if (!env.DUBAN_PAYLOAD_KEYS) env.DUBAN_PAYLOAD_KEYS = made.DUBAN_PAYLOAD_KEYS = keptSecret(path.join(DATA, 'payload-keys'), () => newPayloadKey('dev1'));
  // The public vote keys voters by HMAC (api/innovationVoting.ts): without
  // DUBAN_VOTE_SECRET a development secret is made once and kept in .data/vote-secret.
  if (!env.DUBAN_VOTE_SECRET) env.DUBAN_VOTE_SECRET = keptSecret(path.join(DATA, 'vote-secret'), () => randomBytes(32).toString('base64url'));
  if (fs.existsSync(path.join(REPO_ROOT, 'prisma/seed.ts'))) {
    runStep('seeding (prisma/seed.ts)', npxBin('tsx'), ['prisma/seed.ts'], env);
  }

  // --- Temporal
  if (env.TEMPORAL_ADDRESS) {
    log(`using existing Temporal server TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS}`);
    await waitForTemporal(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE, 60_000);
  } else {
    const toTerminal = prefixer('temporal', 35);
    // The dev server logs connection warnings while it shuts down: noise then.
    const out = (line: string) => {
      if (!shuttingDown) toTerminal(line);
    };
    const temporal = await startTemporalDev({
      dbFile: path.join(DATA, 'temporal.db'),
      port: DEFAULT_PORTS.temporal,
      uiPort: DEFAULT_PORTS.temporalUi,
      namespace: env.TEMPORAL_NAMESPACE,
      searchAttributes: loadSearchAttributes(log),
      detached: true,
      log,
      onLine: out,
    });
    stops.push({ name: 'Temporal', stop: () => temporal.stop() });
    env.TEMPORAL_ADDRESS = made.TEMPORAL_ADDRESS = temporal.address;
    if (temporal.uiUrl) env.TEMPORAL_UI_URL ||= temporal.uiUrl;
  }

  // --- SMTP sink
  let mailUi: string | undefined = env.MAIL_API_URL;
  if (env.SMTP_URL) {
    log('using the existing SMTP server of SMTP_URL');
  } else {
    const sink = await startSmtpSink({
      smtpPort: DEFAULT_PORTS.smtp,
      httpPort: DEFAULT_PORTS.mailUi,
      mailDir: path.join(DATA, 'mail'),
      onMessage: (m) => prefixer('mail', 33)(`${m.to.join(', ')} ← ${m.subject}`),
    });
    stops.push({ name: 'SMTP sink', stop: () => sink.stop() });
    env.SMTP_URL = made.SMTP_URL = sink.smtpUrl;
    env.MAIL_API_URL = sink.httpUrl;
    mailUi = sink.httpUrl;
  }

  writeLocalEnv(DATA, made);
  stops.push({ name: 'local.env', stop: async () => removeLocalEnv(DATA) });

  // --- application: worker first (so the API's first workflow finds a poller), then the API.
  // The worker gets time to finish in-flight activities (WORKER_SHUTDOWN_GRACE defaults to 30s).
  if (servicesOnly) {
    log(`--services-only: not starting the worker and the API (run them yourself with the services' environment: set -a; . ${path.join(DATA, 'local.env')}; set +a)`);
  } else {
    startChild('worker', 'worker/main.ts', workerProcessEnv(env), 32, 40_000);
    startChild('api', 'api/main.ts', env, 34, 10_000);
  }

  const apiUrl = `http://127.0.0.1:${env.API_PORT}`;
  const lines = startSummary({ env, config: loadConfig(env), apiUrl, mailUi, dataDir: DATA, adminTokenFile });
  console.log(['', color(1, 'duban is running — Ctrl-C stops it'), ...lines.map((l) => `  ${l}`), ''].join('\n'));
}

main().catch((err: unknown) => {
  console.error(`${color(31, '[dev] failed to start:')} ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});

/** A development secret kept in `file` (owner-only): made by `make` on the first start, the same on every later one. */
function keptSecret(file: string, make: () => string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${make()}\n`, { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}
