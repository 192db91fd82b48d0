/**
 * Renders the example overlay with `kubectl kustomize` (on this machine and on CI's; no cluster
 * needed) and checks every object: the Kubernetes schemas, then what the platform team expects of
 * each app (manifest-checks.ts), then that each app's configuration passes its own schema and the
 * PrometheusRule is the promtool-tested alerts.yml.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig, EnvSchema } from '@abuse-monitor/config';
import { APP_NODE_OPTIONS } from '@abuse-monitor/runtime';
import { aggregatorEnvSchema } from '../../apps/aggregator/src/aggregator.config';
import { apiEnvSchema } from '../../apps/api/src/api.config';
import { ingestEnvSchema } from '../../apps/ingest/src/ingest.config';
import { schedulerEnvSchema } from '../../apps/scheduler/src/scheduler.config';
import {
  environmentOf,
  healthProbeProblems,
  Manifest,
  mountedFiles,
  probeProblems,
  referenceProblems,
  resourceProblems,
  schemaProblems,
  securityProblems,
  selectorProblems,
  Workload,
  workloadsOf,
} from './manifest-checks';

const ROOT = join(__dirname, '..', '..');
const OVERLAY = join(__dirname, 'overlays', 'example');

const APPS: Record<string, EnvSchema> = {
  ingest: ingestEnvSchema,
  aggregator: aggregatorEnvSchema,
  api: apiEnvSchema,
  scheduler: schedulerEnvSchema as unknown as EnvSchema,
};

function render(): Manifest[] {
  const yaml = execFileSync('kubectl', ['kustomize', OVERLAY], { encoding: 'utf8' });
  return parseAllDocuments(yaml).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as Manifest;
  });
}

const manifests = render();
const workloads = workloadsOf(manifests);
const named = (kind: string, name: string) =>
  manifests.find((m) => m.kind === kind && (m.metadata as { name: string }).name === name);
const deployment = (app: string) => named('Deployment', app) as unknown as Workload;
const copy = <T>(value: T): T => structuredClone(value);

describe('Kubernetes manifests (overlays/example, rendered by kubectl kustomize)', () => {
  it('holds only known kinds, each valid against its schema', () => {
    expect(manifests.length).toBeGreaterThan(10);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  it('puts every object but the namespace itself in the namespace', () => {
    const outside = manifests.filter(
      (m) => m.kind !== 'Namespace' && (m.metadata as { namespace?: string }).namespace !== 'abuse-monitor',
    );
    expect(outside.map((m) => m.kind)).toEqual([]);
  });

  it('runs each long-running app and the migration, locked down, sized and probed', () => {
    expect(workloads.map((w) => `${w.kind} ${w.metadata.name}`).sort()).toEqual([
      'Deployment aggregator',
      'Deployment api',
      'Deployment ingest',
      'Deployment scheduler',
      'Job migrate',
    ]);
    expect(securityProblems(workloads)).toEqual([]);
    expect(resourceProblems(workloads)).toEqual([]);
    expect(probeProblems(workloads)).toEqual([]);
    expect(healthProbeProblems(workloads)).toEqual([]);
    expect(selectorProblems(manifests)).toEqual([]);
    expect(referenceProblems(manifests)).toEqual([]);
  });

  it.each(Object.keys(APPS))('gives %s a configuration its own schema accepts', (app) => {
    const pod = deployment(app).spec.template.spec;
    const container = pod.containers[0];
    const env = environmentOf(manifests, container);
    // Every *_FILE variable (and KAFKA_SSL_CA_FILE) must name a file a volume mounts; the schema
    // reads them, so they are written under a temporary root and the paths rewritten to it.
    const files = mountedFiles(manifests, pod, container);
    const fileVariables = Object.keys(env).filter((name) => name.endsWith('_FILE'));
    expect(fileVariables.filter((name) => !files.has(env[name]))).toEqual([]);
    const root = mkdtempSync(join(tmpdir(), `manifest-files-${app}-`));
    try {
      for (const [path, contents] of files) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), contents);
      }
      for (const name of fileVariables) env[name] = join(root, env[name]);
      expect(() => loadConfig(APPS[app], env)).not.toThrow();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // A misspelt variable would be ignored silently: every one set must be one the app reads.
    // NAME_FILE is read for any NAME of the schema (libs/config); NODE_OPTIONS is node's own.
    const reads = (name: string) =>
      name === 'NODE_OPTIONS' ||
      name in APPS[app].shape ||
      (name.endsWith('_FILE') && name.slice(0, -'_FILE'.length) in APPS[app].shape);
    expect(Object.keys(env).filter((name) => !reads(name))).toEqual([]);
    expect(env.METRICS_HOST).toBe('0.0.0.0');
    const metricsPort = container.ports?.find((p) => p.name === 'metrics')?.containerPort;
    expect(metricsPort).toBe(Number(env.METRICS_PORT));
  });

  it.each(Object.keys(APPS))(
    "starts %s with the apps' V8 flags, the image's or its own (decision 0082)",
    (app) => {
      const container = deployment(app).spec.template.spec.containers[0];
      // A NODE_OPTIONS of the manifest's replaces the image's, so it must repeat every flag of it,
      // with no later one of the same name undoing it.
      const imageOptions = /^ENV NODE_OPTIONS=(.*)$/m.exec(
        readFileSync(join(ROOT, 'Dockerfile'), 'utf8'),
      )?.[1];
      const given = (environmentOf(manifests, container).NODE_OPTIONS ?? imageOptions ?? '').split(/\s+/);
      for (const flag of APP_NODE_OPTIONS.split(' ')) {
        const name = flag.split('=')[0];
        expect(given.filter((option) => option.split('=')[0] === name).pop()).toBe(flag);
      }
    },
  );

  it('keeps the database secret from ingest, which talks to the broker only (decision 0025)', () => {
    const env = environmentOf(manifests, deployment('ingest').spec.template.spec.containers[0]);
    expect(Object.keys(env).filter((name) => name.startsWith('DATABASE_'))).toEqual([]);
    expect(
      environmentOf(manifests, deployment('aggregator').spec.template.spec.containers[0]),
    ).toHaveProperty('DATABASE_URL_FILE');
  });

  it("gives the owner's credentials to the migration only, and the apps the apps' role's (decision 0033)", () => {
    const job = workloads.find((w) => w.kind === 'Job' && w.metadata.name === 'migrate') as Workload;
    const pod = (workload: Workload) => workload.spec.template.spec;
    /** The Secret whose file a *_FILE variable names, through the container's volume mounts. */
    const secretBehind = (workload: Workload, variable: string) => {
      const container = pod(workload).containers[0];
      const path = environmentOf(manifests, container)[variable];
      const mount = container.volumeMounts?.find((m) => path?.startsWith(`${m.mountPath}/`));
      return pod(workload).volumes?.find((v) => v.name === mount?.name)?.secret?.secretName;
    };
    expect(Object.keys(environmentOf(manifests, pod(job).containers[0])).sort()).toEqual([
      'DATABASE_APP_ROLE',
      'DATABASE_OWNER_URL_FILE',
    ]);
    const ownerSecret = secretBehind(job, 'DATABASE_OWNER_URL_FILE');
    expect(ownerSecret).toBe('abuse-monitor-database-owner');
    for (const app of ['aggregator', 'api', 'scheduler']) {
      const env = environmentOf(manifests, pod(deployment(app)).containers[0]);
      expect(Object.keys(env).filter((name) => name.startsWith('DATABASE_OWNER_URL'))).toEqual([]);
      // Credentials come as files, never as the variable itself (visible in `ps e` and dumps).
      expect(env).not.toHaveProperty('DATABASE_URL');
      expect(secretBehind(deployment(app), 'DATABASE_URL_FILE')).toBe('abuse-monitor-database');
    }
  });

  it('keeps every Secret out of the base, so that applying an overlay never overwrites the real ones', () => {
    const base = execFileSync('kubectl', ['kustomize', join(__dirname, 'base')], { encoding: 'utf8' });
    const kinds = parseAllDocuments(base).map((doc) => (doc.toJSON() as { kind: string }).kind);
    expect(kinds).toContain('Deployment');
    expect(kinds).not.toContain('Secret');
  });

  it('gives each app a Service with a metrics port and a disruption budget', () => {
    for (const app of Object.keys(APPS)) {
      const service = named('Service', app) as { spec: { ports: { name: string; targetPort: unknown }[] } };
      expect(service.spec.ports).toContainEqual(
        expect.objectContaining({ name: 'metrics', targetPort: 'metrics' }),
      );
      expect(named('PodDisruptionBudget', app)).toBeDefined();
    }
  });

  it("scrapes the apps' metrics ports under the job names the alert rules use", () => {
    const monitor = named('ServiceMonitor', 'abuse-monitor') as {
      spec: {
        jobLabel: string;
        endpoints: { port: string }[];
        selector: { matchExpressions: { values: string[] }[] };
      };
    };
    expect(monitor.spec.endpoints.map((e) => e.port)).toEqual(['metrics']);
    const jobs = Object.keys(APPS).map((app) => {
      const labels = (named('Service', app)?.metadata as { labels: Record<string, string> }).labels;
      return labels[monitor.spec.jobLabel];
    });
    expect(jobs).toEqual(Object.keys(APPS));
    expect(monitor.spec.selector.matchExpressions[0].values.sort()).toEqual([...jobs].sort());
    const alerts = readFileSync(join(ROOT, 'ops/prometheus/alerts.yml'), 'utf8');
    const jobsInRules = [...alerts.matchAll(/\bjob=~?"([^"]+)"/g)].flatMap((m) => m[1].split('|'));
    expect(jobsInRules.length).toBeGreaterThan(0);
    expect(jobsInRules.filter((job) => !jobs.includes(job))).toEqual([]);
  });

  it('deploys exactly the rules of ops/prometheus/alerts.yml, and the committed file is up to date', () => {
    const rule = named('PrometheusRule', 'abuse-monitor') as { spec: unknown };
    expect(rule.spec).toEqual(parse(readFileSync(join(ROOT, 'ops/prometheus/alerts.yml'), 'utf8')));
    const check = spawnSync('node', [join(ROOT, 'scripts/prometheus-rule.js'), '--check'], {
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('the manifest checks themselves', () => {
  it('name a container that may write its root filesystem, escalate, keep capabilities or run as root', () => {
    const api = copy(deployment('api'));
    const pod = api.spec.template.spec;
    delete pod.securityContext;
    pod.containers[0].securityContext = { readOnlyRootFilesystem: false, capabilities: { drop: [] } };
    expect(securityProblems([api])).toEqual([
      'Deployment api, container api: runAsNonRoot is not true',
      'Deployment api, container api: root filesystem is writable',
      'Deployment api, container api: privilege escalation allowed',
      'Deployment api, container api: capabilities not dropped',
      'Deployment api, container api: seccomp profile is not RuntimeDefault',
    ]);
  });

  it('name a missing probe or one on an undeclared port, and missing resources', () => {
    const ingest = copy(deployment('ingest'));
    const container = ingest.spec.template.spec.containers[0];
    delete container.readinessProbe;
    container.livenessProbe = { tcpSocket: { port: 'nope' } };
    delete container.resources;
    expect(probeProblems([ingest])).toEqual([
      'Deployment ingest, container ingest: livenessProbe targets port nope, which the container does not declare',
      'Deployment ingest, container ingest: no readinessProbe',
    ]);
    expect(resourceProblems([ingest])).toEqual([
      'Deployment ingest, container ingest: requests no cpu or memory',
      'Deployment ingest, container ingest: has no memory limit',
    ]);
  });

  it('name a probe that does not ask the health endpoints, or asks the wrong one', () => {
    const aggregator = copy(deployment('aggregator'));
    const container = aggregator.spec.template.spec.containers[0];
    container.livenessProbe = { tcpSocket: { port: 'metrics' } };
    container.readinessProbe = { httpGet: { path: '/health/live', port: 'metrics' } };
    expect(healthProbeProblems([aggregator])).toEqual([
      'Deployment aggregator, container aggregator: livenessProbe is not GET /health/live',
      'Deployment aggregator, container aggregator: readinessProbe is not GET /health/ready (it asks /health/live)',
    ]);
  });

  it('name a selector that selects nothing and a secret key that does not exist', () => {
    const broken = copy(manifests).map((m) => {
      if (m.kind === 'Deployment' && (m.metadata as { name: string }).name === 'scheduler') {
        (m as unknown as Workload).spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'other' } };
      }
      if (m.kind === 'Deployment' && (m.metadata as { name: string }).name === 'api') {
        const container = (m as unknown as Workload).spec.template.spec.containers[0];
        container.env = [
          ...(container.env ?? []),
          {
            name: 'FROM_SECRET',
            valueFrom: { secretKeyRef: { name: 'abuse-monitor-database', key: 'DATABASE_URL' } },
          },
        ];
      }
      if (m.kind === 'Secret') m.stringData = {};
      return m;
    });
    expect(selectorProblems(broken)).toContain(
      "Deployment scheduler: selector does not match its pod template's labels",
    );
    expect(referenceProblems(broken)).toContain(
      'Deployment api, container api: FROM_SECRET reads DATABASE_URL of a Secret abuse-monitor-database that lacks it',
    );
  });

  it('name a mounted volume whose Secret is missing or lacks a key', () => {
    const withoutSecret = copy(manifests).filter(
      (m) => !(m.kind === 'Secret' && (m.metadata as { name: string }).name === 'abuse-monitor-kafka'),
    );
    expect(referenceProblems(withoutSecret)).toContain(
      'Deployment ingest, container ingest: volume kafka-credentials names a missing Secret abuse-monitor-kafka',
    );
    const ingest = copy(deployment('ingest'));
    const volume = ingest.spec.template.spec.volumes?.find((v) => v.name === 'kafka-credentials');
    if (!volume?.secret) throw new Error('ingest mounts no kafka-credentials Secret');
    volume.secret.items = [{ key: 'truststore.jks', path: 'truststore.jks' }];
    const others = manifests.filter((m) => m.kind !== 'Deployment' && m.kind !== 'Job');
    expect(referenceProblems([...others, ingest as unknown as Manifest])).toEqual([
      'Deployment ingest, container ingest: volume kafka-credentials reads truststore.jks of a Secret abuse-monitor-kafka that lacks it',
    ]);
  });

  it('name an unknown kind and an object its schema refuses', () => {
    expect(
      schemaProblems([
        { apiVersion: 'v1', kind: 'Pdo', metadata: { name: 'x' } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } },
      ]),
    ).toEqual([
      'Pdo x: unknown apiVersion/kind v1/Pdo',
      expect.stringMatching(/^Service x: .*port must be integer/),
    ]);
  });
});
