// Checks the README's configuration reference against the code, both ways:
//   - every documented environment variable is read: a `${VAR...}` placeholder in application.yml,
//     a "VAR" string in Java, a $VAR in a shell script of deploy/, or Micronaut's mapping of VAR to
//     the row's setting, where that setting (or the `kafka.*` pass-through) is read: a key in
//     application.yml, a @ConfigurationProperties prefix or a ${key} in the code;
//   - every placeholder in application.yml and every `fleettrust.*` key there is documented;
//   - a documented default equals the placeholder's or the key's value in application.yml.
//   node config-docs.mjs ../..
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { Findings } from "./findings.mjs";

const root = process.argv[2] ?? "../..";
const findings = new Findings("README configuration reference");
const read = (path) => readFileSync(join(root, path), "utf8");

function filesUnder(dir, pattern) {
  const found = [];
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const child = join(path, name);
      if (statSync(child).isDirectory()) {
        if (!["target", "node_modules", ".git"].includes(name)) walk(child);
      } else if (pattern.test(name)) {
        found.push(child);
      }
    }
  };
  walk(join(root, dir));
  return found;
}

// --- what the code reads
const applicationYml = read("service/src/main/resources/application.yml");
const placeholders = new Map(); // VAR -> default (undefined when none)
for (const [, name, fallback] of applicationYml.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::([^}]*))?\}/g)) {
  placeholders.set(name, fallback?.replace(/^`|`$/g, ""));
}
const yamlKeys = new Map(); // dotted key -> literal value
const flatten = (node, prefix) => {
  if (node && typeof node === "object" && !Array.isArray(node)) {
    for (const [key, value] of Object.entries(node)) flatten(value, prefix ? `${prefix}.${key}` : key);
  } else {
    yamlKeys.set(prefix, node);
  }
};
flatten(parse(applicationYml), "");
const java = [...filesUnder("service/src/main/java", /\.java$/), ...filesUnder("deploy/local", /\.java$/)]
  .filter((file) => file.includes("/src/main/"))
  .map((file) => readFileSync(file, "utf8"))
  .join("\n");
const scripts = [...filesUnder("deploy/container", /./), ...filesUnder("deploy/local", /\.sh$/)]
  .map((file) => readFileSync(file, "utf8"))
  .join("\n");

// Sections Micronaut itself binds (its @ConfigurationProperties), for keys application.yml leaves
// at Micronaut's default.
const FRAMEWORK_SECTIONS = ["micronaut.server."]; // io.micronaut.http.server.HttpServerConfiguration
// `<name>` in a documented key stands for any name (a webhook's), `<NAME>` in its variable.
const envName = (key) => key.toUpperCase().replace(/[.-]/g, "_");
const keyIsRead = (key) =>
  FRAMEWORK_SECTIONS.some((section) => key.startsWith(section)) ||
  [...yamlKeys.keys()].some((k) => k === key || k.startsWith(`${key}.`)) ||
  java.includes(`\${${key}`) ||
  [...java.matchAll(/@(?:ConfigurationProperties|EachProperty)\("([^"]+)"\)/g)].some(([, prefix]) =>
    key.startsWith(`${prefix}.`),
  );
const passThrough = (key) => [...java.matchAll(/getProperties\("([^"]+)"\)/g)].some(([, prefix]) => key.startsWith(`${prefix}.`));
/** The value application.yml or a code default gives the key, if any. */
const keyDefault = (key) => {
  if (yamlKeys.has(key) && typeof yamlKeys.get(key) !== "object") {
    const value = String(yamlKeys.get(key));
    const placeholder = value.match(/^\$\{[A-Z0-9_]+(?::(.*))?\}$/);
    return placeholder ? placeholder[1]?.replace(/^`|`$/g, "") : value;
  }
  return java.match(new RegExp(`\\$\\{${key.replace(/[.]/g, "\\.")}:([^}]*)\\}`))?.[1];
};

// --- what the README documents
const readme = read("README.md");
const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 3));
const rows = section
  .split("\n")
  .filter((line) => line.startsWith("| ") && !line.startsWith("| setting") && !line.startsWith("|---"))
  .map((line) => line.slice(1, -1).split(" | ").map((cell) => cell.trim()));
const code = (cell) => [...cell.matchAll(/`([^`]+)`/g)].map(([, text]) => text);
const documented = new Set();
const documentedKeys = new Set();

for (const [setting, variable, fallback] of rows) {
  const [name] = code(variable);
  const [key] = code(setting);
  if (!name) {
    findings.add(`row '${setting}' names no environment variable`);
    continue;
  }
  documented.add(name);
  if (key) documentedKeys.add(key);
  const documentedDefault = code(fallback)[0];
  if (name.endsWith("_*")) {
    const prefix = key?.replace(/\.\*$/, "");
    findings.expect(key?.endsWith(".*") && envName(prefix) === name.slice(0, -2), `${name}: must name the ${key} pass-through`);
    findings.expect(prefix && (passThrough(`${prefix}.x`) || keyIsRead(`${prefix}.x`)), `${name}: no code reads ${key}`);
    continue;
  }
  const direct =
    placeholders.has(name) ||
    java.includes(`"${name}"`) ||
    new RegExp(`\\$\\{?${name}\\b`).test(scripts);
  const mapped = key && envName(key) === name && (keyIsRead(key) || passThrough(key));
  findings.expect(direct || mapped, `${name}${key ? ` (${key})` : ""} is documented but nothing reads it`);
  if (placeholders.has(name) && placeholders.get(name) !== undefined) {
    findings.expect(documentedDefault === placeholders.get(name), `${name}: README says default ${documentedDefault ?? "(none)"}, application.yml ${placeholders.get(name)}`);
  } else if (!placeholders.has(name) && key && keyDefault(key) !== undefined) {
    findings.expect(documentedDefault === keyDefault(key), `${name}: README says default ${documentedDefault ?? "(none)"}, the code ${keyDefault(key)}`);
  }
}

for (const name of placeholders.keys()) {
  findings.expect(documented.has(name), `application.yml reads ${name}, which the README does not document`);
}
for (const key of yamlKeys.keys()) {
  if (key.startsWith("fleettrust.")) {
    findings.expect(documentedKeys.has(key), `application.yml sets ${key}, which the README does not document`);
  }
}

findings.finish(`${rows.length} settings documented, ${placeholders.size} placeholders in application.yml`);
