import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A real directory of files under the OS temp dir; `cleanup` removes it. */
export function makeRepo(files: Record<string, string>): {
  root: string;
  write: (path: string, text: string) => void;
  remove: (path: string) => void;
  cleanup: () => void;
} {
  const root = mkdtempSync(join(tmpdir(), "toad-context-"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  return {
    root,
    write,
    remove: (path) => rmSync(join(root, path)),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A small Python project with a clear call, import and inheritance structure. */
export const PY_PROJECT: Record<string, string> = {
  "pkg/__init__.py": "",
  "pkg/core.py": `"""The engine everything runs on."""


class BaseEngine:
    def start(self):
        return True


class Engine(BaseEngine):
    def run(self, job):
        self.start()
        return execute_job(job)


def execute_job(job):
    return job.payload
`,
  "pkg/jobs.py": `from .core import Engine, execute_job


class Job:
    def __init__(self, payload):
        self.payload = payload


def schedule(payload):
    engine = Engine()
    return engine.run(Job(payload))


def retry(job):
    return execute_job(job)
`,
  "pkg/cli.py": `from pkg.jobs import schedule


def main():
    return schedule("hello")
`,
  "pkg/http_utils.py": `def parse_http_response(raw_bytes):
    """Decode an HTTP response into headers and body."""
    header_block, _, body = raw_bytes.partition(b"\\r\\n\\r\\n")
    return header_block, body


def parseHeaderLine(line):
    return line.split(":", 1)
`,
  "tests/test_core.py": `from pkg.core import Engine, execute_job


def test_engine_runs():
    assert Engine().run(None) is None
`,
  "README.md": "# pkg\n\nA tiny job engine used by the context tests.\n",
};
