/**
 * The production shape's invariants, checked on docker-compose.yml as
 * docker-compose itself resolves it (Debian's 1.29, offline: scripts/tools.sh)
 * and on the Dockerfile: required secrets without defaults, nothing of
 * Temporal published, upstream's current images at pinned versions that
 * match what tests/slow/cluster.test.ts runs, the start order, compiled
 * JavaScript with a prebuilt workflow bundle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../common/searchAttributes';
import { toolPath } from '../../scripts/stack';
import { WORKER_PROCESS_ENV } from '../../worker/processEnv';

const ROOT = path.join(__dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

/** Every variable compose refuses to start without. */
const REQUIRED = {
  POSTGRES_PASSWORD: 'pg-secret-for-test',
  DUBAN_PAYLOAD_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  DUBAN_ADMIN_TOKEN: 'admin-token-for-test',
  DUBAN_ADMIN_OFFICIAL_ID: 'ro-director',
  DUBAN_ORG_DIR: '/srv/duban/org',
  DUBAN_ORG_FILE: 'organisation.xlsx',
  SMTP_URL: 'smtp://relay.example:587',
  DUBAN_VOTE_SECRET: 'vote-secret-for-test-0123456789abcdef',
};

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | null>;
  ports?: Array<string | { published: string | number; target: number; host_ip?: string }>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  profiles?: string[];
  volumes?: unknown[];
}

/** "host:published:target" as written, or the host and port of the long syntax (`docker-compose config` prints that). */
const hostPort = (p: NonNullable<Service['ports']>[number]) => (typeof p === 'string' ? p : `${p.host_ip ?? ''}:${p.published}`);

describe('docker-compose.yml and Dockerfile', () => {
  const compose = read('docker-compose.yml');
  const dockerfile = read('Dockerfile');
  const dockerCompose = toolPath('docker-compose');
  // Only the variables under test: nothing of the developer's environment leaks in.
  const run = (env: Record<string, string>, args: string[]) =>
    spawnSync(dockerCompose, ['-f', path.join(ROOT, 'docker-compose.yml'), '--project-directory', ROOT, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  const resolved = () => parse(execFileSync(dockerCompose, ['-f', path.join(ROOT, 'docker-compose.yml'), '--project-directory', ROOT, 'config'], { env: { PATH: process.env.PATH, ...REQUIRED }, encoding: 'utf8' })) as { services: Record<string, Service> };

  it('validates with docker-compose, and refuses to start without each secret (no defaults)', () => {
    expect(run(REQUIRED, ['config', '-q'])).toMatchObject({ status: 0, stderr: '' });
    for (const name of Object.keys(REQUIRED)) {
      const { [name]: _missing, ...rest } = REQUIRED as Record<string, string>;
      const r = run(rest, ['config', '-q']);
      expect({ name, status: r.status }).toEqual({ name, status: 1 });
      expect(r.stderr).toContain(`set ${name}`);
    }
    // No password, key or token has a fallback value anywhere.
    expect(compose).not.toMatch(/(PASSWORD|PWD|KEYS|TOKEN)[A-Z_]*:-/);
    expect(compose).not.toMatch(/MP_SMTP_AUTH_ACCEPT_ANY/);
  });

  it('publishes only the API: Temporal never, the Web UI and Mailpit only in profiles and on loopback', () => {
    const { services } = resolved();
    const published = Object.entries(services).filter(([, s]) => s.ports?.length && !s.profiles?.length);
    expect(published.map(([name]) => name).sort()).toEqual(['api']); // profiles are off by default
    expect(services.temporal.ports).toBeUndefined();
    const all = parse(compose, { merge: true }) as { services: Record<string, Service> };
    for (const name of ['temporal-ui', 'mailpit', 'prometheus']) {
      expect(all.services[name].profiles?.length).toBeGreaterThan(0);
      for (const p of all.services[name].ports ?? []) expect(hostPort(p)).toMatch(/^127\.0\.0\.1:/);
    }
    for (const [name, s] of Object.entries(all.services)) {
      if (name !== 'api') for (const p of s.ports ?? []) expect(hostPort(p)).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("runs upstream's current shape at pinned versions: temporalio/server with an admin-tools schema job, the version tests/slow runs", () => {
    const { services } = parse(compose, { merge: true }) as { services: Record<string, Service> };
    expect(compose).not.toMatch(/auto-setup/);
    const serverVersion = /^TEMPORAL_SERVER_VERSION="([\d.]+)"/m.exec(read('scripts/tools.sh'))?.[1];
    expect(services.temporal.image).toBe(`temporalio/server:${serverVersion}`);
    // admin-tools tags of a release name their tool versions too.
    for (const name of ['temporal-schema', 'temporal-namespace', 'temporal-admin-tools']) {
      expect(services[name].image).toMatch(new RegExp(`^temporalio/admin-tools:${serverVersion?.replace(/\./g, '\\.')}-tctl-[\\d.]+-cli-[\\d.]+$`));
    }
    for (const [name, s] of Object.entries(services)) {
      if (s.build) continue; // duban's own image
      expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:v?\d+\.\d+(\.\d+)?[\w.-]*$/) });
    }
    const schema = [services['temporal-schema'].command].flat().join('\n');
    for (const step of ['create-database', 'setup-schema -v 0.0', 'update-schema -d']) expect(schema).toContain(step);
    expect(schema).toContain('postgresql/v12/');
    expect(services['temporal-namespace'].environment?.TEMPORAL_RETENTION).toMatch(/^\$\{TEMPORAL_RETENTION:-\d+d\}$/);
    expect([services['temporal-namespace'].command].flat().join('\n')).toMatch(/namespace create [^\n]*--retention "\$\$TEMPORAL_RETENTION"/);
  });

  it('starts in order on healthchecks and completed jobs: schema → Temporal → namespace; migrate → org import → bootstrap admin → worker and API', () => {
    const { services } = resolved();
    const after = (name: string) => Object.fromEntries(Object.entries(services[name].depends_on as Record<string, { condition: string }>).map(([k, v]) => [k, v.condition]));
    expect(after('temporal-schema')).toEqual({ postgres: 'service_healthy' });
    expect(after('temporal')).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(after('temporal-namespace')).toEqual({ temporal: 'service_healthy' });
    expect(after('migrate')).toEqual({ postgres: 'service_healthy' });
    expect(after('org-import')).toEqual({ migrate: 'service_completed_successfully' });
    expect(after('bootstrap-admin')).toEqual({ 'org-import': 'service_completed_successfully' });
    for (const name of ['worker', 'api']) {
      expect(after(name)).toEqual({ 'bootstrap-admin': 'service_completed_successfully', 'temporal-namespace': 'service_completed_successfully' });
    }
    expect(services.postgres.healthcheck?.test).toBeDefined();
    expect(services.temporal.healthcheck?.test).toBeDefined();
    // The API inherits the image's HEALTHCHECK; processes without HTTP turn it off.
    expect(services.api.healthcheck).toBeUndefined();
    const off = (h?: Service['healthcheck']) => h?.disable === true || (Array.isArray(h?.test) && h.test[0] === 'NONE');
    for (const name of ['worker', 'migrate', 'org-import', 'bootstrap-admin']) expect({ name, off: off(services[name].healthcheck) }).toEqual({ name, off: true });
    // The organisation file is mounted read-only.
    expect(JSON.stringify(services['org-import'].volumes)).toMatch(/"\/srv\/duban\/org".*"\/import".*"read_only":true|\/srv\/duban\/org:\/import:ro/);
  });

  it('gives every duban process the same configuration, payload keys required', () => {
    const { services } = resolved();
    for (const name of ['migrate', 'org-import', 'bootstrap-admin', 'worker', 'api']) {
      const env = services[name].environment ?? {};
      expect({ name, keys: env.DUBAN_PAYLOAD_KEYS }).toEqual({ name, keys: REQUIRED.DUBAN_PAYLOAD_KEYS });
      for (const v of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_UI_URL', 'SMTP_URL', 'DUBAN_ADMIN_TOKEN', 'DUBAN_ADMIN_OFFICIAL_ID']) {
        expect({ name, v, set: !!env[v] }).toEqual({ name, v, set: true });
      }
    }
    expect(services.api.environment?.DATABASE_URL).toBe(`postgresql://duban:${REQUIRED.POSTGRES_PASSWORD}@postgres:5432/duban`);
    // The worker's process gets what `npm start` gives it (worker/processEnv.ts).
    expect(services.worker.environment).toMatchObject(WORKER_PROCESS_ENV);
    // The Web UI decodes through the API's codec endpoint, with the login cookie.
    const ui = (parse(compose, { merge: true }) as { services: Record<string, Service> }).services['temporal-ui'].environment ?? {};
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/api\/codec$/);
    expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
  });

  it('serves metrics inside the network only, where --profile metrics scrapes them', () => {
    const { services } = resolved();
    const port = (name: string, v: string) => /^0\.0\.0\.0:(\d+)$/.exec(services[name].environment?.[v] ?? '')?.[1];
    const [api, worker] = [port('api', 'API_METRICS_ADDRESS'), port('worker', 'WORKER_METRICS_ADDRESS')];
    expect({ api, worker }).toEqual({ api: expect.stringMatching(/^\d+$/), worker: expect.stringMatching(/^\d+$/) });
    // Published: only the API's own port.
    expect(JSON.stringify(services.api.ports)).not.toContain(String(api));
    expect(services.worker.ports).toBeUndefined();
    // Prometheus scrapes every replica of each on those ports.
    const scrape = parse(read('deploy/prometheus.yml')) as { scrape_configs: Array<{ dns_sd_configs: Array<{ names: string[]; port: number }> }> };
    const targets = scrape.scrape_configs.flatMap((c) => c.dns_sd_configs.map((d) => `${d.names.join()}:${d.port}`));
    expect(targets.sort()).toEqual([`api:${api}`, `worker:${worker}`]);
  });

  it('registers exactly the search attributes of common/searchAttributes.ts', () => {
    const m = /SEARCH_ATTRIBUTES:\s*"([^"]*)"/.exec(compose);
    expect(m).not.toBeNull();
    const listed = Object.fromEntries(
      (m?.[1] ?? '')
        .trim()
        .split(/\s+/)
        .map((pair) => pair.split('=') as [string, string]),
    );
    expect(listed).toEqual(SEARCH_ATTRIBUTES);
  });

  it('builds a multi-stage, non-root image on the Node LTS of .nvmrc that runs compiled JavaScript and the prebuilt workflow bundle', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBe(2);
    const node = /^ARG NODE_IMAGE=node:(\d+)\.\d+\.\d+-[a-z]+-slim$/m.exec(dockerfile);
    const major = Number(node?.[1]);
    expect(major).toBeGreaterThanOrEqual(24);
    // The image runs the line .nvmrc names, and package.json's engines admit it.
    expect(read('.nvmrc').trim()).toBe(String(major));
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node.split('||').map((r) => r.trim());
    const admits = (range: string) => {
      const m = /^(>=|\^)(\d+)/.exec(range);
      return !!m && (m[1] === '>=' ? major >= Number(m[2]) : major === Number(m[2]));
    };
    expect(engines.some(admits)).toBe(true);
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(dockerfile).not.toMatch(/npm install/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    const code = (text: string) => text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    expect(`${code(dockerfile)}\n${code(compose)}`).not.toMatch(/\btsx\b/);
    // Every script compose runs is compiled by tsconfig.build.json.
    const built = (JSON.parse(read('tsconfig.build.json').replace(/^\s*\/\/.*$/gm, '')) as { files: string[] }).files;
    const run = [...`${dockerfile}\n${compose}`.matchAll(/dist\/app\/([\w/-]+)\.js/g)].map((m) => `${m[1]}.ts`);
    expect(run.length).toBeGreaterThanOrEqual(4);
    for (const f of run) expect(built).toContain(f);
    expect(JSON.parse(read('package.json')).scripts.build).toContain('dist/workflow-bundle.js');
  });
});
