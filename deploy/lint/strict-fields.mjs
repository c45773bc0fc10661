// Unknown fields in a Kubernetes object: kubernetes-models' validators check types and required
// fields but, like the API server without strict decoding, let a misspelt field through
// ("readinesProbe" would silently be no probe). This walks an object along the model's TypeScript
// declarations, which list every field the API knows, and names each field they do not.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const modules = join(dirname(fileURLToPath(import.meta.url)), "node_modules");
const cache = new Map();

/** The fields of the first interface declared in a .d.ts file, each with its declared type. */
function declaration(file) {
  if (cache.has(file)) return cache.get(file);
  const text = readFileSync(file, "utf8");
  const imports = new Map(
    [...text.matchAll(/import \{ (\w+) \} from "([^"]+)";/g)].map(([, name, from]) => [name, from]),
  );
  const body = text.match(/export interface \w+(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}/)?.[1];
  let fields = null;
  if (body) {
    fields = new Map();
    for (const [, name, type] of body.matchAll(/^ {4}"([^"]+)"\??: (.+?);?$/gm)) {
      fields.set(name, resolve(file, imports, type.trim()));
    }
  }
  cache.set(file, fields);
  return fields;
}

/** What a declared type leads to: another declaration file, an array of one, or nothing to check. */
function resolve(file, imports, type) {
  const array = type.match(/^Array<(\w+)>$/);
  const name = array ? array[1] : type;
  const from = imports.get(name);
  if (!from) return null; // a primitive, a literal, a map ({ [key: string]: ... })
  const path = from.startsWith(".") ? join(dirname(file), `${from}.d.ts`) : join(modules, `${from}.d.ts`);
  return existsSync(path) ? { path, array: Boolean(array) } : null;
}

function walk(value, file, path, problems) {
  const fields = declaration(file);
  if (!fields || !value || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (!fields.has(key)) {
      problems.push(`${path}/${key}: no such field`);
      continue;
    }
    const target = fields.get(key);
    if (!target) continue;
    if (target.array && Array.isArray(child)) {
      child.forEach((item, index) => walk(item, target.path, `${path}/${key}/${index}`, problems));
    } else if (!target.array) {
      walk(child, target.path, `${path}/${key}`, problems);
    }
  }
}

/** Unknown fields of an object of the kubernetes-models model at `modelPath` (apps/v1/Deployment). */
export function unknownFields(object, modelPath) {
  const problems = [];
  walk(object, join(modules, "kubernetes-models", `${modelPath}.d.ts`), "", problems);
  return problems;
}
