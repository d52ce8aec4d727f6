// Validates Kubernetes manifests offline (no cluster): every document of every set against the
// Kubernetes API schemas (kubernetes-models), unknown fields, cross-references within the set
// and TOAD's deployment policies. Prints what it validated; exits 1 on any error.
//
//   node scripts/deploy/validate-manifests.mjs [--namespace NS] [--prod a,b] [--self-contained k8s]
//        [--dockerfile FILE:LABEL] [--tiltfile FILE:LABEL] LABEL=FILE[+FILE...] ...
// --dockerfile and --tiltfile check those files against the set named LABEL.
//   node scripts/deploy/validate-manifests.mjs --self-test [sets...]   (the validator's own test first)
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFile } from "./lib/load.mjs";
import { checkDockerfile, checkTiltfile } from "./lib/repo-files.mjs";
import { selfTest } from "./lib/self-test.mjs";
import { validateSets } from "./lib/validate.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function parseArgs(argv) {
  const opts = {
    namespace: "default",
    prod: new Set(),
    selfContained: new Set(),
    sets: [],
    selfTest: false,
    files: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--namespace") opts.namespace = value();
    else if (arg === "--prod") for (const l of value().split(",")) opts.prod.add(l);
    else if (arg === "--self-contained") for (const l of value().split(",")) opts.selfContained.add(l);
    else if (arg === "--self-test") opts.selfTest = true;
    else if (arg === "--dockerfile" || arg === "--tiltfile") {
      const [file, label] = value().split(":");
      opts.files.push({ what: arg.slice(2), file, label });
    } else if (/^[\w.-]+=/.test(arg)) {
      const cut = arg.indexOf("=");
      opts.sets.push({ label: arg.slice(0, cut), files: arg.slice(cut + 1).split("+") });
    } else throw new Error(`unknown argument ${arg}`);
  }
  return opts;
}

function histogram(byKind) {
  return [...byKind]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let selfTestOk = true;
  if (opts.selfTest) {
    const { passed, failed } = await selfTest(root);
    for (const line of failed) console.error(`self-test FAILED: ${line}`);
    console.log(`validator self-test: ${passed} bad manifests caught, ${failed.length} missed`);
    selfTestOk = failed.length === 0;
    if (opts.sets.length === 0) return selfTestOk;
  }
  if (opts.sets.length === 0) throw new Error("no sets given (LABEL=FILE[+FILE...])");
  const sets = opts.sets.map(({ label, files }) => {
    const docs = [];
    const loadErrors = [];
    for (const file of files) {
      const loaded = loadFile(file, `${label}:${file.replace(`${root}/`, "")}`);
      docs.push(...loaded.docs);
      loadErrors.push(...loaded.errors);
    }
    return {
      label,
      docs,
      loadErrors,
      namespace: opts.namespace,
      prod: opts.prod.has(label),
      selfContained: opts.selfContained.has(label),
    };
  });
  const results = await validateSets(root, sets);
  let objects = 0;
  let errors = 0;
  let checks = 0;
  for (const r of results) {
    objects += r.objects;
    errors += r.errors.length;
    checks += r.refChecks + r.policyChecks;
    const tags = [
      sets.find((s) => s.label === r.label)?.prod && "prod",
      sets.find((s) => s.label === r.label)?.selfContained && "self-contained",
    ]
      .filter(Boolean)
      .join(", ");
    console.log(
      `  ${r.label}${tags ? ` (${tags})` : ""}: ${r.objects} objects${r.embedded ? ` (${r.embedded} embedded)` : ""}` +
        ` [${histogram(r.byKind)}]; ${r.refChecks} reference and ${r.policyChecks} policy checks` +
        (r.errors.length ? `; ${r.errors.length} ERRORS` : "; ok"),
    );
    if (r.externalSecrets.length > 0)
      console.log(`    expects Secrets you create: ${r.externalSecrets.join(", ")}`);
    for (const e of r.errors) console.error(`    ERROR ${e}`);
  }
  for (const { what, file, label } of opts.files) {
    const set = sets.find((s) => s.label === label);
    if (set === undefined) throw new Error(`--${what} names an unknown set ${label}`);
    const r = what === "dockerfile" ? checkDockerfile(file, set.docs) : checkTiltfile(root, file, set.docs);
    checks += r.checked;
    errors += r.errors.length;
    console.log(
      `  ${file} against ${label}: ${r.checked} checks${r.errors.length ? `; ${r.errors.length} ERRORS` : "; ok"}`,
    );
    for (const e of r.errors) console.error(`    ERROR ${e}`);
  }
  console.log(
    `manifests: ${objects} objects in ${results.length} sets validated against the Kubernetes 1.27 schemas` +
      ` (types, required fields, unknown fields), ${checks} reference/policy checks: ${errors} errors`,
  );
  return errors === 0 && selfTestOk;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(`validate-manifests: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
