/**
 * The local environment `npm start` makes (scripts/dev.ts): where it keeps its
 * data and the summary it prints once everything runs.
 */
import path from 'node:path';
import type { Config } from '../common/config';

/** Where `npm start` keeps its data. */
export function localDataDir(): string {
  return path.resolve(__dirname, '..', '.data');
}

export interface StartSummary {
  env: NodeJS.ProcessEnv;
  config: Config;
  apiUrl: string;
  mailUi: string | undefined;
  dataDir: string;
}

/** The lines `npm start` prints when everything runs. */
export function startSummary({ env, config, apiUrl, mailUi, dataDir }: StartSummary): string[] {
  const metricsUrl = (address: string) => (address === 'off' ? '(off)' : `http://${address}/metrics`);
  return [
    `Console        ${env.API_PUBLIC_URL}/  (sign in with an official's work e-mail, e.g. ro-director@zibo.example.cn; the code arrives in the mail sink below)`,
    `API            ${apiUrl}/api`,
    `Temporal UI    ${env.TEMPORAL_UI_URL ?? '(external server)'}`,
    `Temporal       ${env.TEMPORAL_ADDRESS}  namespace ${env.TEMPORAL_NAMESPACE}`,
    `Mail (sink)    ${mailUi ?? '(external SMTP)'}  SMTP ${env.SMTP_URL}`,
    `Metrics        API ${metricsUrl(config.API_METRICS_ADDRESS)}  worker ${metricsUrl(config.WORKER_METRICS_ADDRESS)}`,
    `DATABASE_URL   ${env.DATABASE_URL}`,
    `Admin token    ${env.DUBAN_ADMIN_TOKEN}  (curl -H "Authorization: Bearer $(cat .data/admin-token)" ${apiUrl}/api/inbox)`,
    `Data           ${dataDir}`,
  ];
}
