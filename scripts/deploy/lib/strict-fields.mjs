// Unknown-field check. kubernetes-models' JSON schemas accept any extra property, so a typo
// such as `readinesProbe` would pass them (and an API server would drop it with a warning).
// The same package ships a TypeScript interface per kind; this walks each object against
// that interface with the TypeScript checker and reports every key the type does not have.
import { createRequire } from "node:module";
import { join } from "node:path";
import ts from "typescript";
import { modelPath } from "./kinds.mjs";

const VIRTUAL = "__toad_kinds__.ts";

// Building a program costs a second or two: one program serves every call in a process, so it
// covers the usual kinds up front and is rebuilt only when a call brings a new kind.
const COMMON = [
  "apps/v1/Deployment",
  "apps/v1/StatefulSet",
  "batch/v1/Job",
  "v1/Pod",
  "v1/Service",
  "v1/ConfigMap",
  "v1/Secret",
  "v1/ServiceAccount",
  "v1/Namespace",
  "v1/PersistentVolumeClaim",
  "v1/ResourceQuota",
  "v1/LimitRange",
  "networking.k8s.io/v1/NetworkPolicy",
  "networking.k8s.io/v1/Ingress",
  "autoscaling/v2/HorizontalPodAutoscaler",
  "policy/v1/PodDisruptionBudget",
  "rbac.authorization.k8s.io/v1/Role",
  "rbac.authorization.k8s.io/v1/RoleBinding",
];
let cached;

/** One program over the interfaces of the given kinds: { checker, types: Map "apiVersion/kind" -> ts.Type }. */
export function kindTypes(root, kinds) {
  if (cached === undefined || [...kinds].some((k) => !cached.types.has(k))) {
    cached = buildProgram(root, new Set([...COMMON, ...kinds, ...(cached?.types.keys() ?? [])]));
  }
  return cached;
}

function buildProgram(root, kinds) {
  const require = createRequire(join(root, "package.json"));
  const libDir = require.resolve("typescript/lib/lib.d.ts").replace(/lib\.d\.ts$/, "");
  const keys = [...kinds];
  const source = keys
    .map((key, i) => {
      const [apiVersion, kind] = splitKey(key);
      return `import type { I${kind} as T${i} } from "${modelPath(apiVersion, kind)}";\nexport type K${i} = T${i};`;
    })
    .join("\n");
  const options = {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2020.d.ts"],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options, true);
  const virtualPath = join(root, VIRTUAL);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError) =>
    file === virtualPath ? ts.createSourceFile(file, source, lang) : getSourceFile(file, lang, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === virtualPath || fileExists(file);
  host.getDefaultLibLocation = () => libDir;
  const program = ts.createProgram([virtualPath], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(virtualPath);
  const types = new Map();
  const problems = [];
  if (file === undefined) throw new Error("strict-fields: the virtual source did not load");
  for (const diag of program.getSemanticDiagnostics(file)) {
    problems.push(ts.flattenDiagnosticMessageText(diag.messageText, "\n"));
  }
  const moduleSymbol = checker.getSymbolAtLocation(file);
  const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  for (const sym of exports) {
    const index = Number(sym.name.slice(1));
    types.set(keys[index], checker.getDeclaredTypeOfSymbol(sym));
  }
  return { checker, types, problems };
}

function splitKey(key) {
  const cut = key.lastIndexOf("/");
  return [key.slice(0, cut), key.slice(cut + 1)];
}

/** Every key of `value` that its type does not declare, as JSON-pointer-like paths. */
export function unknownFields(checker, type, value) {
  const found = [];
  walk(checker, type, value, "", found, 0);
  return found;
}

function objectParts(checker, type) {
  const t = checker.getNonNullableType(type);
  return t.isUnion() ? t.types : [t];
}

function walk(checker, type, value, path, found, depth) {
  if (value === null || typeof value !== "object" || depth > 64) return;
  const parts = objectParts(checker, type).filter((t) => (t.flags & ts.TypeFlags.Object) !== 0);
  if (parts.length === 0) return; // primitives, any, unknown: the schema check owns those
  if (Array.isArray(value)) {
    for (const part of parts) {
      const element = checker.getIndexTypeOfType(part, ts.IndexKind.Number);
      if (element === undefined) continue;
      value.forEach((item, i) => {
        walk(checker, element, item, `${path}/${i}`, found, depth + 1);
      });
      return;
    }
    return;
  }
  const props = new Map();
  let stringIndex;
  let open = false;
  for (const part of parts) {
    const declared = checker.getPropertiesOfType(part);
    const index = checker.getIndexTypeOfType(part, ts.IndexKind.String);
    if (index !== undefined) stringIndex = index;
    if (declared.length === 0 && index === undefined) open = true; // e.g. RawExtension, JSON
    for (const prop of declared) props.set(prop.name, prop);
  }
  if (open && props.size === 0) return;
  for (const [key, child] of Object.entries(value)) {
    const prop = props.get(key);
    if (prop !== undefined) {
      walk(checker, checker.getTypeOfSymbol(prop), child, `${path}/${key}`, found, depth + 1);
    } else if (stringIndex !== undefined) {
      walk(checker, stringIndex, child, `${path}/${key}`, found, depth + 1);
    } else {
      found.push(`${path}/${key}`);
    }
  }
}
