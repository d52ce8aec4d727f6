// Static checks of the Dockerfile and the Tiltfile against what the chart renders (neither can
// run here: no Docker engine, no cluster, no tilt). They catch the drift that would only show
// on a real build or `tilt up`: stage names, the user id, the entrypoint the chart relies on,
// resource names and ports Tilt refers to.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { podTemplate } from "./objects.mjs";

function serviceDeployments(docs) {
  return docs.filter(
    (d) => d.obj.kind === "Deployment" && podTemplate(d.obj)?.labels["toad.dev/tier"] === "service",
  );
}

/** @returns {{ errors: string[], checked: number }} */
export function checkDockerfile(file, docs) {
  const errors = [];
  let checked = 0;
  const lines = readFileSync(file, "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages = [];
  let user;
  let entrypoint = "";
  const copied = [];
  for (const line of lines) {
    const [instr, ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    const upper = instr.toUpperCase();
    if (upper === "FROM") {
      const m = /\bAS\s+(\S+)/i.exec(args);
      stages.push(m ? m[1] : `#${stages.length}`);
      user = undefined;
      copied.length = 0;
    } else if (upper === "COPY") {
      const from = /--from=(\S+)/.exec(args)?.[1];
      checked++;
      if (from !== undefined && !stages.slice(0, -1).includes(from))
        errors.push(`Dockerfile: COPY --from=${from} names no earlier stage`);
      copied.push(rest.filter((a) => !a.startsWith("--")).at(-1) ?? "");
    } else if (upper === "USER") user = args;
    else if (upper === "ENTRYPOINT") entrypoint = args;
  }
  const deployments = serviceDeployments(docs);
  checked += 3;
  const uid = deployments
    .map((d) => podTemplate(d.obj)?.spec.securityContext?.runAsUser)
    .find((u) => u !== undefined);
  if (user === undefined || !/^\d+(:\d+)?$/.test(user))
    errors.push("Dockerfile: the final stage needs a numeric USER (runAsNonRoot cannot verify a name)");
  else if (uid !== undefined && Number(user.split(":")[0]) !== uid)
    errors.push(`Dockerfile: USER ${user} but the chart runs as uid ${uid}`);
  if (!entrypoint.includes("tini"))
    errors.push("Dockerfile: the entrypoint is not tini (the chart sets args and keeps the entrypoint)");
  for (const d of deployments) {
    checked++;
    const main = podTemplate(d.obj)?.spec.containers?.[0];
    if (main?.command !== undefined)
      errors.push(`${d.source}: sets command, which would bypass the image's tini entrypoint`);
  }
  for (const dir of ["./node_modules", "./packages", "./services", "./proto"]) {
    checked++;
    if (!copied.includes(dir)) errors.push(`Dockerfile: the final stage does not copy ${dir}`);
  }
  return { errors, checked };
}

function stringList(text, name) {
  const m = new RegExp(`^${name}\\s*=\\s*\\[([^\\]]*)\\]`, "m").exec(text);
  return m ? [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]) : [];
}

/** @returns {{ errors: string[], checked: number }} */
export function checkTiltfile(root, file, docs) {
  const errors = [];
  let checked = 0;
  const text = readFileSync(file, "utf8");
  const depth = { "(": 0, "[": 0 };
  for (const ch of text.replace(/#.*$/gm, "").replace(/'[^'\n]*'/g, "")) {
    if (ch === "(" || ch === "[") depth[ch]++;
    if (ch === ")") depth["("]--;
    if (ch === "]") depth["["]--;
  }
  checked++;
  if (depth["("] !== 0 || depth["["] !== 0) errors.push("Tiltfile: unbalanced brackets");
  const release = /^RELEASE\s*=\s*'([^']+)'/m.exec(text)?.[1];
  const workloads = new Set(
    docs.filter((d) => ["Deployment", "StatefulSet"].includes(d.obj.kind)).map((d) => d.obj.metadata?.name),
  );
  for (const name of [...stringList(text, "SERVICES"), ...stringList(text, "DATA")]) {
    checked++;
    if (!workloads.has(`${release}-${name}`))
      errors.push(`Tiltfile: k8s_resource ${release}-${name} is not a workload of the dev render`);
  }
  for (const [, values] of text.matchAll(/values=\[([^\]]*)\]/g)) {
    for (const [, path] of values.matchAll(/'([^']*)'/g)) {
      checked++;
      if (!existsSync(join(root, path))) errors.push(`Tiltfile: values file ${path} does not exist`);
    }
  }
  const image = /docker_build\(\s*'([^']+)'/.exec(text)?.[1];
  const gateway = docs.find(
    (d) => d.obj.kind === "Deployment" && d.obj.metadata?.name === `${release}-gateway`,
  );
  const container = gateway ? podTemplate(gateway.obj)?.spec.containers?.[0] : undefined;
  checked += 2;
  if (!container || String(container.image).split(":")[0] !== image) {
    errors.push(
      `Tiltfile: docker_build('${image}') is not the image the dev render runs (${container?.image})`,
    );
  }
  const grpc = container?.ports?.find((p) => p.name === "grpc")?.containerPort;
  const forward = /'(\d+):(\d+)'/.exec(text);
  if (!forward || Number(forward[2]) !== grpc)
    errors.push(`Tiltfile: the gateway port-forward does not target its grpc port ${grpc}`);
  return { errors, checked };
}
