import { access, readFile } from "node:fs/promises";
import path from "node:path";

export interface TestCommand {
  /** Shell command line. */
  command: string;
  /** Why this command: shown to the model and the user. */
  reason: string;
  /** How extra arguments (a file, a test name) are appended. */
  argsSeparator: string;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch(() => undefined);
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

async function nodeRunner(dir: string): Promise<string> {
  if (await exists(path.join(dir, "pnpm-lock.yaml"))) return "pnpm test";
  if (await exists(path.join(dir, "yarn.lock"))) return "yarn test";
  if ((await exists(path.join(dir, "bun.lockb"))) || (await exists(path.join(dir, "bun.lock"))))
    return "bun run test";
  return "npm test";
}

async function hasPytest(dir: string): Promise<string | undefined> {
  if (await exists(path.join(dir, "pytest.ini"))) return "pytest.ini";
  if (await exists(path.join(dir, "conftest.py"))) return "conftest.py";
  if ((await readText(path.join(dir, "pyproject.toml")))?.includes("[tool.pytest"))
    return "pyproject.toml [tool.pytest]";
  if ((await readText(path.join(dir, "setup.cfg")))?.includes("[tool:pytest]"))
    return "setup.cfg [tool:pytest]";
  if ((await readText(path.join(dir, "tox.ini")))?.includes("[pytest]")) return "tox.ini [pytest]";
  return undefined;
}

/**
 * The project's test command, from the first marker found in `dir`:
 * package.json scripts.test, pytest configuration, go.mod, Cargo.toml,
 * a Makefile `test` target, Maven, Gradle, then Python test files.
 */
export async function detectTestCommand(dir: string): Promise<TestCommand | undefined> {
  const script = packageTestScript(await readText(path.join(dir, "package.json")));
  if (script !== undefined) {
    return {
      command: await nodeRunner(dir),
      reason: `package.json scripts.test (${script})`,
      argsSeparator: " -- ",
    };
  }
  const pytest = await hasPytest(dir);
  if (pytest) return { command: "python3 -m pytest -q", reason: pytest, argsSeparator: " " };
  if (await exists(path.join(dir, "go.mod")))
    return { command: "go test ./...", reason: "go.mod", argsSeparator: " " };
  if (await exists(path.join(dir, "Cargo.toml")))
    return { command: "cargo test", reason: "Cargo.toml", argsSeparator: " " };
  for (const makefile of ["GNUmakefile", "makefile", "Makefile"]) {
    const text = await readText(path.join(dir, makefile));
    if (text && /^test\s*:/m.test(text))
      return { command: "make test", reason: `${makefile} test target`, argsSeparator: " " };
  }
  if (await exists(path.join(dir, "pom.xml")))
    return { command: "mvn -q test", reason: "pom.xml", argsSeparator: " " };
  for (const gradle of ["build.gradle", "build.gradle.kts"]) {
    if (await exists(path.join(dir, gradle))) {
      const wrapper = await exists(path.join(dir, "gradlew"));
      return { command: wrapper ? "./gradlew test" : "gradle test", reason: gradle, argsSeparator: " " };
    }
  }
  if ((await exists(path.join(dir, "tests"))) || (await exists(path.join(dir, "test")))) {
    for (const marker of ["pyproject.toml", "setup.py", "requirements.txt"]) {
      if (await exists(path.join(dir, marker)))
        return {
          command: "python3 -m pytest -q",
          reason: `${marker} and a tests directory`,
          argsSeparator: " ",
        };
    }
  }
  return undefined;
}
