// Bundles the interactive UI (cli/dist/ui/run-ui.js with Ink, React, the
// markdown and highlighting libraries) into one file. Loading Ink's hundreds
// of small ES modules one by one is most of the time before the first frame;
// one file loads in a fraction of it. TOAD's own packages stay external:
// they find files of their own at run time (grammars, wasm, workers).
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const dist = fileURLToPath(new URL("../dist/ui/", import.meta.url));
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** Ink loads react-devtools-core only when DEV=true; it is not installed, so that path says so. */
function devtoolsStub() {
  const id = "\0react-devtools-core";
  const fail = 'throw new Error("React devtools are not part of the TOAD build (unset DEV)")';
  return {
    name: "react-devtools-core-stub",
    resolveId: (source) => (source === "react-devtools-core" ? id : null),
    load: (loaded) =>
      loaded === id
        ? `export default { initialize() { ${fail}; }, connectToDevTools() { ${fail}; } };`
        : null,
  };
}

/**
 * The CLI's own modules outside ui/ (errors, runtime, images) stay separate
 * files, imported relatively: main.js loads them too, and one copy of a
 * class keeps `instanceof CliError` true across the two.
 */
function keepCliModulesShared() {
  return {
    name: "keep-cli-modules-shared",
    resolveId(source, importer) {
      if (!source.startsWith(".") || importer === undefined || !importer.startsWith(dist)) return null;
      const path = resolve(dirname(importer), source);
      return path.startsWith(dist) ? null : { id: path, external: "relative" };
    },
  };
}

const started = performance.now();
await build({
  input: `${dist}run-ui.js`,
  platform: "node",
  external: (id) => builtins.has(id) || id.startsWith("node:") || id.startsWith("@toad/"),
  plugins: [devtoolsStub(), keepCliModulesShared()],
  // React and Ink pick their production builds; the UI never runs the development ones.
  transform: { define: { "process.env.NODE_ENV": '"production"' } },
  output: { file: `${dist}run-ui.bundle.js`, format: "esm", codeSplitting: false },
  logLevel: "warn",
});
console.log(`bundled the UI into dist/ui/run-ui.bundle.js in ${Math.round(performance.now() - started)} ms`);
