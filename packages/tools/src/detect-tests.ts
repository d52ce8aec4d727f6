import path from "node:path";
import { LOCAL_FS } from "./fs/local-fs.js";
import type { WorkspaceFs } from "./fs/port.js";

export interface TestCommand {
  /** Shell command line. */
  command: string;
  /** Why this command: shown to the model and the user. */
  reason: string;
  /** How extra arguments (a file, a test name) are appended. */
  argsSeparator: string;
}

/** Every file the detection looks at, checked in one round trip. */
const MARKERS = [
  "package.json",
  "pnpm-lock.yaml",
  "yarn.lock",
  "bun.lockb",
  "bun.lock",
  "pytest.ini",
  "conftest.py",
  "pyproject.toml",
  "setup.cfg",
  "tox.ini",
  "go.mod",
  "Cargo.toml",
  "GNUmakefile",
  "makefile",
  "Makefile",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "gradlew",
  "tests",
  "test",
  "setup.py",
  "requirements.txt",
];

/** Marker files are small; a bigger one is not read. */
const MARKER_MAX_BYTES = 1024 * 1024;

/** What `dir` holds of the markers: existence from one stat call, texts read on demand. */
interface Markers {
  exists(name: string): boolean;
  readText(name: string): Promise<string | undefined>;
}

async function markersIn(fs: WorkspaceFs, dir: string): Promise<Markers> {
  const stats = await fs.stat(MARKERS.map((name) => path.join(dir, name))).catch(() => []);
  const present = new Set(MARKERS.filter((_, index) => stats[index] !== undefined));
  return {
    exists: (name) => present.has(name),
    async readText(name) {
      if (!present.has(name)) return undefined;
      const read = await fs.readFile(path.join(dir, name), MARKER_MAX_BYTES).catch(() => undefined);
      return read?.kind === "file" ? read.bytes.toString("utf8") : undefined;
    },
  };
}

function packageTestScript(json: string | undefined): string | undefined {
  if (json === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== "object" || parsed === null || !("scripts" in parsed)) return undefined;
    const scripts = parsed.scripts;
    if (typeof scripts !== "object" || scripts === null || !("test" in scripts)) return undefined;
    const test = scripts.test;
    // npm init's placeholder fails on purpose; it is not a test suite.
    if (typeof test !== "string" || test.includes("no test specified")) return undefined;
    return test;
  } catch {
    return undefined;
  }
}

function nodeRunner(markers: Markers): string {
  if (markers.exists("pnpm-lock.yaml")) return "pnpm test";
  if (markers.exists("yarn.lock")) return "yarn test";
  if (markers.exists("bun.lockb") || markers.exists("bun.lock")) return "bun run test";
  return "npm test";
}

async function hasPytest(markers: Markers): Promise<string | undefined> {
  if (markers.exists("pytest.ini")) return "pytest.ini";
  if (markers.exists("conftest.py")) return "conftest.py";
  if ((await markers.readText("pyproject.toml"))?.includes("[tool.pytest"))
    return "pyproject.toml [tool.pytest]";
  if ((await markers.readText("setup.cfg"))?.includes("[tool:pytest]")) return "setup.cfg [tool:pytest]";
  if ((await markers.readText("tox.ini"))?.includes("[pytest]")) return "tox.ini [pytest]";
  return undefined;
}

/**
 * The project's test command, from the first marker found in `dir`:
 * package.json scripts.test, pytest configuration, go.mod, Cargo.toml,
 * a Makefile `test` target, Maven, Gradle, then Python test files.
 */
export async function detectTestCommand(
  dir: string,
  fs: WorkspaceFs = LOCAL_FS,
): Promise<TestCommand | undefined> {
  const markers = await markersIn(fs, dir);
  const script = packageTestScript(await markers.readText("package.json"));
  if (script !== undefined) {
    return {
      command: nodeRunner(markers),
      reason: `package.json scripts.test (${script})`,
      argsSeparator: " -- ",
    };
  }
  const pytest = await hasPytest(markers);
  if (pytest) return { command: "python3 -m pytest -q", reason: pytest, argsSeparator: " " };
  if (markers.exists("go.mod")) return { command: "go test ./...", reason: "go.mod", argsSeparator: " " };
  if (markers.exists("Cargo.toml"))
    return { command: "cargo test", reason: "Cargo.toml", argsSeparator: " " };
  for (const makefile of ["GNUmakefile", "makefile", "Makefile"]) {
    const text = await markers.readText(makefile);
    if (text && /^test\s*:/m.test(text))
      return { command: "make test", reason: `${makefile} test target`, argsSeparator: " " };
  }
  if (markers.exists("pom.xml")) return { command: "mvn -q test", reason: "pom.xml", argsSeparator: " " };
  for (const gradle of ["build.gradle", "build.gradle.kts"]) {
    if (markers.exists(gradle)) {
      const wrapper = markers.exists("gradlew");
      return { command: wrapper ? "./gradlew test" : "gradle test", reason: gradle, argsSeparator: " " };
    }
  }
  if (markers.exists("tests") || markers.exists("test")) {
    for (const marker of ["pyproject.toml", "setup.py", "requirements.txt"]) {
      if (markers.exists(marker))
        return {
          command: "python3 -m pytest -q",
          reason: `${marker} and a tests directory`,
          argsSeparator: " ",
        };
    }
  }
  return undefined;
}
