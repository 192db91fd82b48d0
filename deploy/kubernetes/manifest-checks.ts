/**
 * What a rendered set of manifests must hold beyond the Kubernetes schemas: every container
 * probed, sized and locked down, selectors that select, and every ConfigMap or Secret key a
 * container reads present. Each check returns problems as sentences, so a test shows them all.
 */
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

/** A parsed manifest; its shape is only trusted once `schemaProblems` found nothing. */
export type Manifest = { apiVersion?: unknown; kind?: unknown; [key: string]: unknown };

type Validatable = { validate(): void };
type ModelClass = new (data: never) => Validatable;

/** Kinds with a Kubernetes JSON schema (kubernetes-models), by `apiVersion/kind`. */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Prometheus Operator kinds: no schema package that loads under jest, so checked by hand below. */
const OPERATOR_KINDS = ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule'];

const typeOf = (m: Manifest) => `${String(m.apiVersion)}/${String(m.kind)}`;
const nameOf = (m: Manifest) => `${String(m.kind)} ${String((m.metadata as { name?: unknown })?.name)}`;

export function schemaProblems(manifests: Manifest[]): string[] {
  return manifests.flatMap((manifest) => {
    const model = MODELS[typeOf(manifest)];
    if (model === undefined) {
      return OPERATOR_KINDS.includes(typeOf(manifest))
        ? operatorProblems(manifest)
        : [`${nameOf(manifest)}: unknown apiVersion/kind ${typeOf(manifest)}`];
    }
    try {
      new model(manifest as never).validate();
      return [];
    } catch (error) {
      return [`${nameOf(manifest)}: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

function operatorProblems(manifest: Manifest): string[] {
  const spec = manifest.spec as Record<string, unknown> | undefined;
  if (manifest.kind === 'ServiceMonitor') {
    const endpoints = spec?.endpoints;
    const ok =
      typeof spec?.selector === 'object' &&
      Array.isArray(endpoints) &&
      endpoints.length > 0 &&
      endpoints.every((e: { port?: unknown }) => typeof e.port === 'string');
    return ok ? [] : [`${nameOf(manifest)}: needs spec.selector and endpoints with a named port`];
  }
  const groups = spec?.groups;
  const ok =
    Array.isArray(groups) &&
    groups.length > 0 &&
    groups.every(
      (g: { name?: unknown; rules?: unknown }) =>
        typeof g.name === 'string' &&
        Array.isArray(g.rules) &&
        g.rules.every((r: { alert?: unknown; expr?: unknown }) => typeof r.expr === 'string'),
    );
  return ok ? [] : [`${nameOf(manifest)}: needs spec.groups, each with a name and rules with expr`];
}

/* ------------------------------------------------------------------ pods of Deployments and Jobs */

type Probe = { httpGet?: { path?: string; port?: unknown }; tcpSocket?: { port?: unknown } };
type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
};
type Container = {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
    seccompProfile?: { type?: string };
  };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
};
type KeyedVolume = { name: string; items?: { key: string; path: string }[] };
type Volume = {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  configMap?: KeyedVolume;
};
type PodSpec = {
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
};
type Labels = Record<string, string>;
export type Workload = {
  kind: 'Deployment' | 'Job';
  metadata: { name: string };
  spec: {
    selector?: { matchLabels?: Labels };
    template: { metadata?: { labels?: Labels }; spec: PodSpec };
  };
};

export const workloadsOf = (manifests: Manifest[]) =>
  manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job') as unknown as Workload[];

const containersOf = (w: Workload) => [
  ...(w.spec.template.spec.initContainers ?? []),
  ...w.spec.template.spec.containers,
];

/** Non-root, read-only root filesystem, no privilege escalation, no capabilities, seccomp on. */
export function securityProblems(workloads: Workload[]): string[] {
  return workloads.flatMap((w) =>
    containersOf(w).flatMap((c) => {
      const pod = w.spec.template.spec.securityContext ?? {};
      const own = c.securityContext ?? {};
      const where = `${w.kind} ${w.metadata.name}, container ${c.name}`;
      const problems: string[] = [];
      if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true)
        problems.push(`${where}: runAsNonRoot is not true`);
      if (own.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
      if (own.allowPrivilegeEscalation !== false) problems.push(`${where}: privilege escalation allowed`);
      if (!(own.capabilities?.drop ?? []).includes('ALL'))
        problems.push(`${where}: capabilities not dropped`);
      if ((own.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault') {
        problems.push(`${where}: seccomp profile is not RuntimeDefault`);
      }
      return problems;
    }),
  );
}

/** CPU and memory requested, memory limited (a leak ends in a restart, not in a starved node). */
export function resourceProblems(workloads: Workload[]): string[] {
  return workloads.flatMap((w) =>
    containersOf(w).flatMap((c) => {
      const where = `${w.kind} ${w.metadata.name}, container ${c.name}`;
      const { requests = {}, limits = {} } = c.resources ?? {};
      const problems: string[] = [];
      if (requests.cpu === undefined || requests.memory === undefined) {
        problems.push(`${where}: requests no cpu or memory`);
      }
      if (limits.memory === undefined) problems.push(`${where}: has no memory limit`);
      return problems;
    }),
  );
}

/** Long-running containers have liveness and readiness probes on a port they declare. */
export function probeProblems(workloads: Workload[]): string[] {
  return workloads
    .filter((w) => w.kind === 'Deployment')
    .flatMap((w) =>
      w.spec.template.spec.containers.flatMap((c) => {
        const where = `Deployment ${w.metadata.name}, container ${c.name}`;
        const declared = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
        const probes = { livenessProbe: c.livenessProbe, readinessProbe: c.readinessProbe };
        const problems: string[] = [];
        for (const [kind, probe] of Object.entries(probes)) {
          if (probe === undefined) {
            problems.push(`${where}: no ${kind}`);
            continue;
          }
          const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
          if (!declared.has(port as string | number)) {
            problems.push(
              `${where}: ${kind} targets port ${String(port)}, which the container does not declare`,
            );
          }
        }
        if (c.startupProbe !== undefined) {
          const port = c.startupProbe.httpGet?.port ?? c.startupProbe.tcpSocket?.port;
          if (!declared.has(port as string | number)) problems.push(`${where}: startupProbe port undeclared`);
        }
        return problems;
      }),
    );
}

/**
 * Every app's probes ask its health endpoints: liveness and start-up /health/live (the process
 * answers, whatever the broker and the database do), readiness /health/ready. A port that merely
 * listens says nothing of a consumer that is stuck or out of its group (decision 0034).
 */
export function healthProbeProblems(workloads: Workload[]): string[] {
  const expected = {
    startupProbe: '/health/live',
    livenessProbe: '/health/live',
    readinessProbe: '/health/ready',
  } as const;
  return workloads
    .filter((w) => w.kind === 'Deployment')
    .flatMap((w) =>
      w.spec.template.spec.containers.flatMap((c) =>
        Object.entries(expected).flatMap(([kind, path]) => {
          const probe = c[kind as keyof typeof expected];
          const actual = probe?.httpGet?.path;
          return actual === path
            ? []
            : [
                `Deployment ${w.metadata.name}, container ${c.name}: ${kind} is not GET ${path}` +
                  (actual === undefined ? '' : ` (it asks ${actual})`),
              ];
        }),
      ),
    );
}

const selects = (selector: Labels | undefined, labels: Labels | undefined) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

export function selectorProblems(manifests: Manifest[]): string[] {
  const deployments = workloadsOf(manifests).filter((w) => w.kind === 'Deployment');
  const problems = deployments
    .filter((d) => !selects(d.spec.selector?.matchLabels, d.spec.template.metadata?.labels))
    .map((d) => `Deployment ${d.metadata.name}: selector does not match its pod template's labels`);
  const podLabels = deployments.map((d) => d.spec.template.metadata?.labels);
  for (const m of manifests) {
    const spec = m.spec as { selector?: Labels | { matchLabels?: Labels } } | undefined;
    const selector =
      m.kind === 'Service'
        ? (spec?.selector as Labels | undefined)
        : m.kind === 'PodDisruptionBudget'
          ? (spec?.selector as { matchLabels?: Labels } | undefined)?.matchLabels
          : undefined;
    if (
      (m.kind === 'Service' || m.kind === 'PodDisruptionBudget') &&
      !podLabels.some((l) => selects(selector, l))
    ) {
      problems.push(`${nameOf(m)}: selects no Deployment's pods`);
    }
  }
  return problems;
}

type KeyedData = {
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};

const keysByName = (manifests: Manifest[], kind: string) =>
  new Map(
    (manifests.filter((m) => m.kind === kind) as unknown as KeyedData[]).map((m) => [
      m.metadata.name,
      { ...(m.data ?? {}), ...(m.stringData ?? {}) },
    ]),
  );

/** Every ConfigMap and Secret a container reads exists, with every key it names. */
export function referenceProblems(manifests: Manifest[]): string[] {
  const sources = { ConfigMap: keysByName(manifests, 'ConfigMap'), Secret: keysByName(manifests, 'Secret') };
  return workloadsOf(manifests).flatMap((w) =>
    containersOf(w).flatMap((c) => {
      const where = `${w.kind} ${w.metadata.name}, container ${c.name}`;
      const problems: string[] = [];
      for (const from of c.envFrom ?? []) {
        const [kind, name] = from.configMapRef
          ? (['ConfigMap', from.configMapRef.name] as const)
          : (['Secret', from.secretRef?.name ?? ''] as const);
        if (!sources[kind].has(name)) problems.push(`${where}: envFrom names a missing ${kind} ${name}`);
      }
      for (const mount of c.volumeMounts ?? []) {
        const volume = w.spec.template.spec.volumes?.find((v) => v.name === mount.name);
        if (!volume) problems.push(`${where}: mounts a missing volume ${mount.name}`);
        const source = volume && keyedSource(volume);
        if (!source) continue;
        const data = sources[source.kind].get(source.name);
        if (!data)
          problems.push(`${where}: volume ${mount.name} names a missing ${source.kind} ${source.name}`);
        for (const item of source.items ?? []) {
          if (data && data[item.key] === undefined) {
            problems.push(
              `${where}: volume ${mount.name} reads ${item.key} of a ${source.kind} ${source.name} that lacks it`,
            );
          }
        }
      }
      for (const variable of c.env ?? []) {
        const ref = variable.valueFrom?.configMapKeyRef ?? variable.valueFrom?.secretKeyRef;
        if (ref === undefined) continue;
        const kind = variable.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
        if (sources[kind].get(ref.name)?.[ref.key] === undefined) {
          problems.push(`${where}: ${variable.name} reads ${ref.key} of a ${kind} ${ref.name} that lacks it`);
        }
      }
      return problems;
    }),
  );
}

function keyedSource(volume: Volume) {
  if (volume.secret)
    return { kind: 'Secret' as const, name: volume.secret.secretName, items: volume.secret.items };
  if (volume.configMap)
    return { kind: 'ConfigMap' as const, name: volume.configMap.name, items: volume.configMap.items };
  return null;
}

/**
 * The files a container would find in its Secret and ConfigMap volumes, by path, so the test can
 * give the app's schema (which reads KAFKA_SSL_CA_FILE and the other *_FILE variables) real files.
 */
export function mountedFiles(manifests: Manifest[], pod: PodSpec, container: Container): Map<string, string> {
  const sources = { ConfigMap: keysByName(manifests, 'ConfigMap'), Secret: keysByName(manifests, 'Secret') };
  const files = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    const source = volume && keyedSource(volume);
    const data = source && sources[source.kind].get(source.name);
    if (!source || !data) continue;
    const items = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const { key, path } of items) {
      if (data[key] !== undefined) files.set(`${mount.mountPath.replace(/\/$/, '')}/${path}`, data[key]);
    }
  }
  return files;
}

/**
 * The environment a container would see (literal values, whole ConfigMaps and Secrets, single
 * keys), so the test can run it through the app's own configuration schema.
 */
export function environmentOf(manifests: Manifest[], container: Container): Record<string, string> {
  const sources = { ConfigMap: keysByName(manifests, 'ConfigMap'), Secret: keysByName(manifests, 'Secret') };
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    Object.assign(
      env,
      from.configMapRef
        ? sources.ConfigMap.get(from.configMapRef.name)
        : sources.Secret.get(from.secretRef?.name ?? ''),
    );
  }
  for (const variable of container.env ?? []) {
    const configRef = variable.valueFrom?.configMapKeyRef;
    const secretRef = variable.valueFrom?.secretKeyRef;
    const value =
      variable.value ??
      (configRef ? sources.ConfigMap.get(configRef.name)?.[configRef.key] : undefined) ??
      (secretRef ? sources.Secret.get(secretRef.name)?.[secretRef.key] : undefined);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}
