// Lints deploy/Containerfile: dockerfile-utils (every diagnostic, warnings too, fails) plus what
// this project requires of its image. The image cannot be built on machines without a Docker
// engine, so these checks are what keeps it honest.
//   node containerfile.mjs ../Containerfile
import { readFileSync } from "node:fs";
import { validate } from "dockerfile-utils";
import { Findings } from "./findings.mjs";

const file = process.argv[2] ?? "../Containerfile";
const text = readFileSync(file, "utf8");
const findings = new Findings(file);

for (const diagnostic of validate(text)) {
  const line = diagnostic.range.start.line + 1;
  findings.add(`line ${line}: ${diagnostic.message}`);
}

// Instructions with their continuation lines joined, comments dropped.
const instructions = text
  .replace(/\\\r?\n/g, " ")
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"))
  .map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
  });

const stages = [];
for (const instruction of instructions) {
  if (instruction.keyword === "FROM") stages.push([]);
  stages.at(-1)?.push(instruction);
}
findings.expect(stages.length >= 2, "must be multi-stage: build in one stage, run from another");
const runtime = stages.at(-1) ?? [];
const last = (keyword) => runtime.filter((i) => i.keyword === keyword).at(-1);

const user = last("USER");
findings.expect(user, "the runtime stage must set USER");
if (user) {
  const [uid] = user.args.split(":");
  findings.expect(/^[1-9][0-9]*$/.test(uid), `USER must be a numeric non-root uid (so runAsNonRoot can check it), not '${user.args}'`);
}
const copies = runtime.filter((i) => i.keyword === "COPY");
findings.expect(copies.some((c) => c.args.includes("--from=")), "the runtime stage must copy the build stage's output (COPY --from=...)");
const env = runtime.filter((i) => i.keyword === "ENV").map((i) => i.args).join(" ");
findings.expect(/MaxRAMPercentage=\d+/.test(env), "the heap must follow the container's memory (-XX:MaxRAMPercentage)");
findings.expect(!/-Xmx\d/.test(env), "no fixed -Xmx: the heap follows the container's memory limit");
const healthcheck = last("HEALTHCHECK");
findings.expect(healthcheck && /\/management\/health\/(readiness|liveness)/.test(healthcheck.args), "HEALTHCHECK must probe a management health endpoint");
findings.expect(last("ENTRYPOINT"), "the runtime stage must set an ENTRYPOINT");
findings.expect(!runtime.some((i) => i.keyword === "ADD"), "use COPY, not ADD (no remote or unpacked sources)");
findings.expect(!stages.flat().some((i) => i.keyword === "FROM" && /:latest\b|^[^:\s]+(\s|$)/.test(i.args)), "every base image needs a tag other than latest");

findings.finish(`${stages.length} stages, runs as ${user?.args}`);
