/**
 * The local environment `npm start` makes (scripts/dev.ts): where it keeps its
 * data, the services it started itself (written to <data>/local.env while it
 * runs, so the command-line tools beside it find them), and the summary it
 * prints once everything runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig, type Config } from '../common/config';

/** Where `npm start` keeps its data: DUBAN_DATA_DIR, or .data in the repository. */
export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DUBAN_DATA_DIR ? path.resolve(env.DUBAN_DATA_DIR) : path.resolve(__dirname, '..', '.data');
}

const localEnvFile = (dataDir: string) => path.join(dataDir, 'local.env');
/** Names npm start's own pid in local.env: a file left by a killed npm start is ignored. */
const START_PID = 'DUBAN_START_PID';

/**
 * Writes what npm start set up itself (only embedded services, never a variable
 * the caller gave it) as `KEY='value'` lines a shell can source. Mode 0600 like
 * the other files of the data directory (it may hold the payload keys).
 */
export function writeLocalEnv(dataDir: string, vars: Record<string, string>, pid = process.pid): void {
  const lines = Object.entries({ ...vars, [START_PID]: String(pid) }).map(([k, v]) => {
    // URLs and base64 keys never hold these; refusing them keeps the file both shell and dotenv syntax.
    if (/['\n]/.test(v)) throw new Error(`${k}: a quote or line break cannot go into ${localEnvFile(dataDir)}`);
    return `${k}='${v}'`;
  });
  fs.writeFileSync(localEnvFile(dataDir), `${lines.join('\n')}\n`, { mode: 0o600 });
}

export function removeLocalEnv(dataDir: string): void {
  fs.rmSync(localEnvFile(dataDir), { force: true });
}

/** What a running npm start published in `dataDir`; empty when none runs (no file, or its npm start is gone). */
export function readLocalEnv(dataDir: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(localEnvFile(dataDir), 'utf8');
  } catch {
    return {};
  }
  const { [START_PID]: pid, ...vars } = parseEnv(text);
  try {
    process.kill(Number(pid), 0);
  } catch {
    return {}; // left by an npm start that was killed: its services are gone too
  }
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * The configuration of a command-line tool (npm run token, import:org,
 * import:documents, bootstrap-admin): the environment, and beside a running
 * npm start the services it made itself for what the environment leaves out.
 */
export function scriptConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (!env.DATABASE_URL) {
    const dataDir = localDataDir(env);
    const local = readLocalEnv(dataDir);
    if (!local.DATABASE_URL) {
      throw new Error(`DATABASE_URL is not set, and no npm start running on ${dataDir} made a database: start npm start in another terminal, or set DATABASE_URL`);
    }
    env = { ...env, ...Object.fromEntries(Object.entries(local).filter(([k]) => !env[k])) };
  }
  return loadConfig(env);
}

export interface StartSummary {
  env: NodeJS.ProcessEnv;
  config: Config;
  apiUrl: string;
  mailUi: string | undefined;
  dataDir: string;
  /** Where npm start keeps the development admin token it made (unset when DUBAN_ADMIN_TOKEN was given). */
  adminTokenFile?: string;
}

/** The lines `npm start` prints when everything runs: addresses, and where the secrets are, never a secret itself. */
export function startSummary({ env, config, apiUrl, mailUi, dataDir, adminTokenFile }: StartSummary): string[] {
  const metricsUrl = (address: string) => (address === 'off' ? '(off)' : `http://${address}/metrics`);
  // A URL's user and password stay out of the terminal (and the scrollback, and CI logs).
  const shown = (url: string | undefined) => {
    if (!url) return '(none)';
    try {
      const u = new URL(url);
      u.username = '';
      u.password = '';
      return u.toString();
    } catch {
      return '(set)';
    }
  };
  return [
    `Console        ${env.API_PUBLIC_URL}/  (sign in with an official's work e-mail, e.g. ro-director@zibo.example.cn; the code arrives in the mail sink below)`,
    `API            ${apiUrl}/api`,
    `Temporal UI    ${env.TEMPORAL_UI_URL ?? '(external server)'}`,
    `Temporal       ${env.TEMPORAL_ADDRESS}  namespace ${env.TEMPORAL_NAMESPACE}`,
    `Mail (sink)    ${mailUi ?? '(external SMTP)'}  SMTP ${shown(env.SMTP_URL)}`,
    `Metrics        API ${metricsUrl(config.API_METRICS_ADDRESS)}  worker ${metricsUrl(config.WORKER_METRICS_ADDRESS)}`,
    `Database       ${shown(env.DATABASE_URL)}`,
    adminTokenFile
      ? `Admin token    in ${adminTokenFile}  (curl -H "Authorization: Bearer $(cat ${adminTokenFile})" ${apiUrl}/api/inbox)`
      : `Admin token    the value of DUBAN_ADMIN_TOKEN`,
    `Tools          npm run token -- <officialId>, npm run import:org, npm run import:documents find these services (${localEnvFile(dataDir)})`,
    `Data           ${dataDir}`,
  ];
}
