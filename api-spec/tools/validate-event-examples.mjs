// Validates the device event examples against the event JSON Schemas (2020-12):
// every file in events/examples/ must be valid against its type's schema and the
// union schema; every file in events/examples/invalid/ must be invalid against the
// union schema and be explained in that folder's README. Every event type needs at
// least one valid example. Exits non-zero on any failure.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const eventsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'events');
const examplesDir = join(eventsDir, 'examples');
const invalidDir = join(examplesDir, 'invalid');
const TYPES = [
  'device.registered',
  'device.provisioned',
  'device.firmware-updated',
  'device.trust-store-reported',
  'device.reset',
  'device.retired',
];

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
const schemaUrl = (file) => pathToFileURL(join(eventsDir, file)).href;
for (const file of readdirSync(eventsDir).filter((f) => f.endsWith('.schema.json')).sort()) {
  // No $id in the files: each schema is keyed by its file URL, so relative $refs
  // resolve exactly as they do for any tool reading the files from disk.
  ajv.addSchema(JSON.parse(readFileSync(join(eventsDir, file), 'utf8')), schemaUrl(file));
}
const anyEvent = ajv.getSchema(schemaUrl('device-event.schema.json'));
const byType = Object.fromEntries(TYPES.map((t) => [t, ajv.getSchema(schemaUrl(`${t}.schema.json`))]));

const errorsText = (validate) =>
  (validate.errors || []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
const jsonFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
let failures = 0;
const fail = (message) => {
  failures += 1;
  console.log(`FAIL ${message}`);
};

const covered = new Set();
for (const file of jsonFiles(examplesDir)) {
  const event = JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
  const type = TYPES.find((t) => file.startsWith(`${t}.`));
  if (!type) {
    fail(`examples/${file}: the file name must start with its event type`);
    continue;
  }
  if (event.type !== type) fail(`examples/${file}: type is ${event.type}, the file name says ${type}`);
  if (!byType[type](event)) fail(`examples/${file}: invalid against ${type}.schema.json: ${errorsText(byType[type])}`);
  else if (!anyEvent(event)) fail(`examples/${file}: invalid against device-event.schema.json: ${errorsText(anyEvent)}`);
  else {
    covered.add(type);
    console.log(`ok   examples/${file} is a valid ${type}`);
  }
}
for (const type of TYPES) if (!covered.has(type)) fail(`no valid example for ${type}`);

const readme = readFileSync(join(invalidDir, 'README.md'), 'utf8');
for (const file of jsonFiles(invalidDir)) {
  const event = JSON.parse(readFileSync(join(invalidDir, file), 'utf8'));
  if (!readme.includes(`\`${file}\``)) fail(`examples/invalid/${file}: not explained in examples/invalid/README.md`);
  // A file named after a type must also fail that type's own schema, so it is
  // invalid for the reason the README gives, not merely because it matches no type.
  const type = TYPES.find((t) => file.startsWith(`${t}.`));
  const own = type ? byType[type] : anyEvent;
  if (anyEvent(event)) fail(`examples/invalid/${file}: expected invalid, but it validates`);
  else if (own(event)) fail(`examples/invalid/${file}: expected invalid against ${type}.schema.json, but it validates`);
  else console.log(`ok   examples/invalid/${file} is rejected: ${errorsText(own).slice(0, 150)}`);
}
for (const [, file] of readme.matchAll(/^- `([^`]+\.json)`/gm)) {
  if (!jsonFiles(invalidDir).includes(file)) fail(`examples/invalid/README.md explains ${file}, which does not exist`);
}

// The outbound ITSM messages: every api-spec/examples/<type>.json is valid against its
// type's schema and the union; every type has one.
const ITSM_TYPES = [
  'fleettrust.impact.assessed',
  'fleettrust.violation.opened',
  'fleettrust.violation.updated',
  'fleettrust.violation.resolved',
];
const outboundDir = resolve(eventsDir, '..', 'examples');
const anyItsm = ajv.getSchema(schemaUrl('itsm-message.schema.json'));
for (const type of ITSM_TYPES) {
  const file = `${type}.json`;
  const own = ajv.getSchema(schemaUrl(`${type}.schema.json`));
  let message;
  try {
    message = JSON.parse(readFileSync(join(outboundDir, file), 'utf8'));
  } catch (e) {
    fail(`examples/${file}: missing or not JSON (${e.message})`);
    continue;
  }
  if (message.type !== type) fail(`examples/${file}: type is ${message.type}`);
  else if (!own(message)) fail(`examples/${file}: invalid against ${type}.schema.json: ${errorsText(own)}`);
  else if (!anyItsm(message)) fail(`examples/${file}: invalid against itsm-message.schema.json: ${errorsText(anyItsm)}`);
  else console.log(`ok   ../examples/${file} is a valid ${type}`);
}

console.log(failures === 0 ? 'event examples: all checks passed'
 : `event examples: ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
