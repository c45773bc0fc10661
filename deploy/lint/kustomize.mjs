// Renders every overlay under deploy/k8s/overlays with `kubectl kustomize`, validates each
// rendered object against the Kubernetes schemas (kubernetes-models, offline; unknown fields fail
// too, strict-fields.mjs), and checks what the
// deployment promises: probes on the management endpoints, resources, a non-root read-only
// container, Prometheus annotations, a PodDisruptionBudget over the service's pods, settings from a
// ConfigMap and credentials from a Secret, and one migration Job per release while the replicas
// never migrate themselves.
//   node kustomize.mjs ../k8s/overlays
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { Findings } from "./findings.mjs";
import { unknownFields } from "./strict-fields.mjs";

const overlaysDir = process.argv[2] ?? "../k8s/overlays";
const overlays = readdirSync(overlaysDir).filter((name) => statSync(join(overlaysDir, name)).isDirectory());
let failed = false;

/** The kubernetes-models class for an object: core/v1 lives in v1/, others in group/version/. */
async function modelFor(apiVersion, kind) {
  const path = apiVersion.includes("/") ? apiVersion : `v1`;
  try {
    const module = await import(`kubernetes-models/${path}/${kind}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

const podContainers = (spec) => [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
const matches = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels?.[key] === value);

for (const overlay of overlays) {
  const dir = join(overlaysDir, overlay);
  const findings = new Findings(`k8s/overlays/${overlay}`);
  const rendered = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8" });
  if (rendered.error || rendered.status !== 0) {
    findings.add(`kubectl kustomize failed: ${rendered.error?.message ?? rendered.stderr}`);
    findings.finish();
    failed = true;
    continue;
  }
  const objects = parseAllDocuments(rendered.stdout).map((doc) => doc.toJS()).filter(Boolean);
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata?.name}`;
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) {
      findings.add(`${name}: no Kubernetes schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      findings.add(`${name}: ${error.message}`);
    }
    const modelPath = `${object.apiVersion.includes("/") ? object.apiVersion : "v1"}/${object.kind}`;
    for (const problem of unknownFields(object, modelPath)) findings.add(`${name}: ${problem}`);
  }

  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const deployment = byKind("Deployment").find((d) => d.metadata.name === "fleettrust");
  const configMaps = byKind("ConfigMap");
  const config = Object.assign({}, ...configMaps.map((c) => c.data ?? {}));
  findings.expect(deployment, "Deployment/fleettrust");
  if (deployment) {
    const pod = deployment.spec.template;
    const service = pod.spec.containers.find((c) => c.name === "fleettrust");
    findings.expect(deployment.spec.replicas >= 1, "replicas set");
    findings.expect(service?.readinessProbe?.httpGet?.path === "/management/health/readiness", "readiness probe on /management/health/readiness");
    findings.expect(service?.livenessProbe?.httpGet?.path === "/management/health/liveness", "liveness probe on /management/health/liveness");
    findings.expect(pod.metadata.annotations?.["prometheus.io/scrape"] === "true" && pod.metadata.annotations?.["prometheus.io/path"] === "/management/prometheus", "Prometheus scrape annotations for /management/prometheus");
    findings.expect(pod.spec.securityContext?.runAsNonRoot === true, "pods run as non-root");
    for (const container of podContainers(pod.spec)) {
      findings.expect(container.securityContext?.readOnlyRootFilesystem === true, `${container.name}: read-only root filesystem`);
      findings.expect(container.resources?.requests?.memory && container.resources?.limits?.memory, `${container.name}: memory request and limit (the heap follows the limit)`);
      findings.expect(container.envFrom?.some((e) => e.configMapRef) && container.envFrom?.some((e) => e.secretRef), `${container.name}: settings from a ConfigMap, credentials from a Secret`);
    }
    findings.expect(pod.spec.initContainers?.some((c) => c.args?.[0] === "await-migrations"), "an init container that waits for the release's migrations");
    for (const key of Object.keys(config)) {
      findings.expect(!/SECRET|PASSWORD|JAAS|TOKEN/.test(key), `ConfigMap key ${key}: credentials belong in the Secret`);
    }
    findings.expect(config.FLEETTRUST_MIGRATE_ON_START === "false", "replicas must not migrate (FLEETTRUST_MIGRATE_ON_START=false)");
    findings.expect(config.KAFKA_BOOTSTRAP_SERVERS && config.DATASOURCES_DEFAULT_URL, "the external Kafka and PostgreSQL are configured");
    findings.expect(config.FLEETTRUST_INGEST_TOPIC && config.FLEETTRUST_INGEST_GROUP_ID, "topic and consumer group are configured");
    findings.expect(
      byKind("PodDisruptionBudget").some((pdb) => matches(pdb.spec.selector, pod.metadata.labels)),
      "a PodDisruptionBudget selecting the service's pods",
    );
    findings.expect(byKind("Service").some((s) => Object.entries(s.spec.selector ?? {}).every(([k, v]) => pod.metadata.labels[k] === v)), "a Service selecting the service's pods");
    const tag = service?.image?.split(":").at(-1);
    const jobs = byKind("Job").filter((job) => job.spec.template.spec.containers.some((c) => c.args?.[0] === "migrate"));
    findings.expect(jobs.length === 1, "exactly one migration Job");
    for (const job of jobs) {
      findings.expect(job.metadata.name.endsWith(`-${tag}`), `${job.metadata.name}: the migration Job is named after the release's image tag ${tag}`);
      findings.expect(job.spec.template.spec.containers.every((c) => c.image === service.image), `${job.metadata.name}: migrates with the release's image`);
    }
  }
  findings.finish(`${objects.length} objects: ${objects.map((o) => o.kind).join(", ")}`);
  failed ||= findings.problems.length > 0;
}
if (overlays.length === 0) {
  console.error(`${overlaysDir}: no overlays`);
  failed = true;
}
process.exitCode = failed ? 1 : 0;
