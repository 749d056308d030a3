/**
 * The production Temporal server — go.temporal.io/server's own binary with
 * PostgreSQL persistence and visibility, every service (frontend, history,
 * matching, worker) — as docker-compose.yml runs it, without Docker: the
 * schemas set up by temporal-sql-tool from the module's schema files (the
 * compose job's three commands), the namespace and duban's search attributes
 * created with the Temporal CLI (the compose namespace job), the dynamic
 * config file compose mounts. Binaries and schema files: scripts/tools.sh
 * temporal-server (cached by version).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { REPO_ROOT, freePort, spawnManaged, toolPath, waitForTemporal, type ManagedProcess } from '../../scripts/stack';

const execFileP = promisify(execFile);

export interface TemporalClusterOptions {
  /** A PostgreSQL server URL (user with CREATE DATABASE); its database part is ignored. */
  postgresUrl: string;
  /** Names of Temporal's two databases on it (created if missing). */
  databases: { temporal: string; visibility: string };
  namespace: string;
  retention: string;
  searchAttributes: Record<string, string>;
  log: (msg: string) => void;
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  version: string;
  /** The versioned schema updates temporal-sql-tool applied (both databases), for the report. */
  schemaSteps: number;
  stop(): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await execFileP(cmd, args, { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`, { cause: err });
  }
}

export async function startTemporalCluster(o: TemporalClusterOptions): Promise<TemporalCluster> {
  const dir = toolPath('temporal-server');
  const version = fs.readFileSync(path.join(dir, '.complete'), 'utf8').trim();
  const pg = new URL(o.postgresUrl);
  const pgPort = pg.port || '5432';

  // --- schemas: what the compose temporal-schema job runs
  const sqlTool = path.join(dir, 'bin/temporal-sql-tool');
  const sql = (db: string, ...args: string[]) =>
    run(sqlTool, ['--plugin', 'postgres12', '--ep', pg.hostname, '-p', pgPort, '-u', decodeURIComponent(pg.username), ...(pg.password ? ['--pw', decodeURIComponent(pg.password)] : []), '--db', db, ...args]);
  let schemaSteps = 0;
  for (const [db, kind] of [[o.databases.temporal, 'temporal'], [o.databases.visibility, 'visibility']] as const) {
    await sql(db, 'create-database');
    await sql(db, 'setup-schema', '-v', '0.0');
    const out = await sql(db, 'update-schema', '-d', path.join(dir, 'schema/postgresql/v12', kind, 'versioned'));
    schemaSteps += (out.match(/---- Executing updates for version/g) ?? []).length;
  }
  o.log(`Temporal schemas set up by temporal-sql-tool ${version} (${schemaSteps} versioned updates)`);

  // --- configuration: v1.29 reads <root>/config/<env>.yaml
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-temporal-cluster-'));
  fs.mkdirSync(path.join(root, 'config'));
  const ports = { frontend: await freePort(), frontendHttp: await freePort(), history: await freePort(), matching: await freePort(), worker: await freePort() };
  const membership = { frontend: await membershipPort(), history: await membershipPort(), matching: await membershipPort(), worker: await membershipPort() };
  const store = (db: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${JSON.stringify(db)}
        connectAddr: ${JSON.stringify(`${pg.hostname}:${pgPort}`)}
        connectProtocol: tcp
        user: ${JSON.stringify(decodeURIComponent(pg.username))}
        password: ${JSON.stringify(decodeURIComponent(pg.password))}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const service = (name: keyof typeof membership) => `
  ${name}:
    rpc:
      grpcPort: ${ports[name]}
      membershipPort: ${membership[name]}
      bindOnLocalHost: true${name === 'frontend' ? `\n      httpPort: ${ports.frontendHttp}` : ''}`;
  fs.writeFileSync(
    path.join(root, 'config/pg.yaml'),
    `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(o.databases.temporal, 20)}
    visibility:${store(o.databases.visibility, 5)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:${service('frontend')}${service('history')}${service('matching')}${service('worker')}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${ports.frontend}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(path.join(REPO_ROOT, 'deploy/temporal-dynamicconfig.yaml'))}
  pollInterval: 10s
`,
  );

  const server: ManagedProcess = spawnManaged({
    name: 'temporal-server',
    command: path.join(dir, 'bin/temporal-server'),
    args: ['--root', root, '--config', 'config', '--env', 'pg', '--allow-no-auth', 'start'],
  });
  const address = `127.0.0.1:${ports.frontend}`;
  const stop = async () => {
    await server.stop('SIGTERM', 20_000);
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitForTemporal(address, 'temporal-system', 120_000),
      server.exited.then((code) => {
        throw new Error(`temporal-server exited (${code})`);
      }),
    ]);
    // --- namespace and search attributes: what the compose temporal-namespace job runs
    const cli = toolPath('temporal');
    await run(cli, ['operator', 'namespace', 'create', '--address', address, '--namespace', o.namespace, '--retention', o.retention]);
    for (const [name, type] of Object.entries(o.searchAttributes)) {
      await run(cli, ['operator', 'search-attribute', 'create', '--address', address, '--namespace', o.namespace, '--name', name, '--type', type]);
    }
    await waitForTemporal(address, o.namespace, 60_000);
    await waitForSearchAttributes(address, o.namespace, o.searchAttributes);
  } catch (err) {
    const tail = server.tail();
    await stop();
    throw new Error(`${(err as Error).message}\n--- temporal-server output ---\n${tail}`, { cause: err });
  }
  o.log(`Temporal ${version} serving ${o.namespace} on ${address}`);
  return { address, namespace: o.namespace, version, schemaSteps, stop };
}

/**
 * A free port for a membership (ringpop) listener. Temporal stores these ports
 * as PostgreSQL smallint: they must stay below 32768, under the kernel's
 * ephemeral range that freePort draws from.
 */
async function membershipPort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/**
 * The frontend caches search attributes; a workflow started before its cache
 * knows them is refused. Probe with a start that names every attribute.
 */
async function waitForSearchAttributes(address: string, namespace: string, attributes: Record<string, string>): Promise<void> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const probe: Record<string, unknown[]> = Object.fromEntries(
    Object.entries(attributes).map(([name, type]) => [name, [type === 'Datetime' ? new Date() : type === 'Int' ? 1 : 'probe']]),
  );
  const deadline = Date.now() + 120_000;
  try {
    for (let i = 0; ; i++) {
      try {
        const handle = await client.workflow.start('searchAttributeProbe', { taskQueue: 'probe', workflowId: `sa-probe-${Date.now()}-${i}`, searchAttributes: probe as never });
        await handle.terminate('probe');
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    await connection.close();
  }
}
