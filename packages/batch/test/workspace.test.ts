import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractPatch, type Mirror, prepareWorkspace, RepoCache } from "../src/index.js";
import { buildFixture, type Fixture, sh, tempDir } from "./helpers.js";

let root: { path: string; cleanup(): Promise<void> };
let fixture: Fixture;
let mirror: Mirror;
let first = "";
let second = "";

beforeAll(async () => {
  root = await tempDir("toad-batch-ws-");
  fixture = await buildFixture(root.path, [
    { id: "a", base: "first", edit: {} },
    { id: "b", base: "second", edit: {} },
  ]);
  first = fixture.instances[0]?.base_commit ?? "";
  second = fixture.instances[1]?.base_commit ?? "";
  const found = await new RepoCache({ dir: fixture.reposDir }).mirror("acme/widgets");
  if (!found.ok) throw new Error(found.error.message);
  mirror = found.value;
});

afterAll(async () => {
  await root?.cleanup();
});

const refsOf = (dir: string) => sh(dir, "for-each-ref", "--format=%(refname)").trim();
const mirrorState = () =>
  execFileSync("bash", ["-c", `find ${mirror.path} -type f | sort | xargs sha1sum`]).toString();

describe("workspaces", () => {
  it("a fresh workspace is base_commit's tree; the patch has new files, skips scratch files, and the mirror is untouched", async () => {
    const before = mirrorState();
    const dir = join(root.path, "fresh");
    const made = await prepareWorkspace(mirror, first, dir);
    expect(made).toEqual({ ok: true, value: { dir, recycled: false } });
    expect(sh(dir, "rev-parse", "HEAD").trim()).toBe(first);
    await writeFile(join(dir, "pkg", "new.py"), "X = 1\n");
    await mkdir(join(dir, "pkg", "__pycache__"));
    await writeFile(join(dir, "pkg", "__pycache__", "calc.cpython-311.pyc"), "junk");
    await writeFile(join(dir, "README.md"), "# changed\n");
    const patch = await extractPatch(dir, first);
    if (!patch.ok) throw new Error(patch.error.message);
    expect(patch.value).toContain("+++ b/pkg/new.py");
    expect(patch.value).toContain("+# changed");
    expect(patch.value).not.toContain("__pycache__");
    expect(mirrorState()).toBe(before);
  });

  it("recycling resets everything an instance left: commits, branches, hooks, ignored files, objects", async () => {
    const dir = join(root.path, "recycled");
    await prepareWorkspace(mirror, first, dir, { recycle: true });
    // An instance that committed on a branch, tagged, stashed nothing, installed a hook and left junk.
    await writeFile(join(dir, "pkg", "calc.py"), "SECRET_FIX = 1\n");
    sh(dir, "checkout", "-q", "-b", "agent-branch");
    sh(dir, "commit", "-qam", "the fix");
    sh(dir, "tag", "leaked");
    const leaked = sh(dir, "rev-parse", "HEAD").trim();
    await mkdir(join(dir, ".git", "hooks"), { recursive: true });
    const ran = join(root.path, "hook-ran");
    await writeFile(join(dir, ".git", "hooks", "post-checkout"), `#!/bin/sh\ntouch ${ran}\n`);
    sh(dir, "config", "core.fsmonitor", `touch ${ran}; true`);
    await chmod(join(dir, ".git", "hooks", "post-checkout"), 0o755);
    await writeFile(join(dir, "scratch.txt"), "left over\n");
    await mkdir(join(dir, ".pytest_cache"));
    await writeFile(join(dir, ".pytest_cache", "v"), "1");

    const again = await prepareWorkspace(mirror, second, dir, { recycle: true });
    expect(again).toEqual({ ok: true, value: { dir, recycled: true } });
    expect(sh(dir, "rev-parse", "HEAD").trim()).toBe(second);
    expect(refsOf(dir)).toBe("");
    expect(sh(dir, "status", "--porcelain", "--ignored", "--untracked-files=all")).toBe("");
    expect(existsSync(join(dir, ".git", "hooks"))).toBe(false);
    expect(existsSync(ran)).toBe(false);
    expect(existsSync(join(dir, ".git", "logs"))).toBe(false);
    expect(() => sh(dir, "cat-file", "-e", leaked)).toThrow();
    // Same files as a fresh checkout of the same commit.
    const fresh = join(root.path, "fresh-second");
    await prepareWorkspace(mirror, second, fresh);
    expect(sh(dir, "ls-files", "-s")).toBe(sh(fresh, "ls-files", "-s"));
    expect(await readFile(join(dir, "pkg", "calc.py"), "utf8")).toBe(
      await readFile(join(fresh, "pkg", "calc.py"), "utf8"),
    );
  });

  it("a workspace whose .git was destroyed is made anew", async () => {
    const dir = join(root.path, "broken");
    await prepareWorkspace(mirror, first, dir, { recycle: true });
    await writeFile(join(dir, ".git", "HEAD"), "garbage\n");
    const again = await prepareWorkspace(mirror, second, dir, { recycle: true });
    expect(again).toEqual({ ok: true, value: { dir, recycled: false } });
    expect(sh(dir, "rev-parse", "HEAD").trim()).toBe(second);
  });

  it("a base commit missing from the mirror is a clear error", async () => {
    const made = await prepareWorkspace(
      mirror,
      "0123456789abcdef0123456789abcdef01234567",
      join(root.path, "missing"),
    );
    expect(made.ok).toBe(false);
    if (!made.ok) {
      expect(made.error.code).toBe("missing_commit");
      expect(made.error.message).toMatch(/is not in .*acme__widgets.git; update the mirror/);
    }
  });
});

describe("the repository folder", () => {
  it("finds a mirror as owner__name.git, owner/name or name.git", async () => {
    const dir = join(root.path, "lookup");
    await mkdir(join(dir, "acme"), { recursive: true });
    sh(root.path, "clone", "-q", "--bare", mirror.path, join(dir, "widgets.git"));
    const byName = await new RepoCache({ dir }).mirror("acme/widgets");
    expect(byName.ok && byName.value.path).toBe(join(dir, "widgets.git"));
    await rename(join(dir, "widgets.git"), join(dir, "acme", "widgets"));
    const byOwner = await new RepoCache({ dir }).mirror("acme/widgets");
    expect(byOwner.ok && byOwner.value.path).toBe(join(dir, "acme", "widgets"));
  });

  it("clones a missing repository once from --clone-from, even when workers ask together", async () => {
    const remotes = join(root.path, "remotes");
    await mkdir(join(remotes, "acme"), { recursive: true });
    sh(root.path, "clone", "-q", "--bare", mirror.path, join(remotes, "acme", "gadgets"));
    const dir = join(root.path, "cache");
    const cache = new RepoCache({ dir, cloneFrom: remotes });
    const [a, b] = await Promise.all([cache.mirror("acme/gadgets"), cache.mirror("acme/gadgets")]);
    expect(a).toBe(b);
    expect(a.ok && a.value.path).toBe(join(dir, "acme__gadgets.git"));
    const workspace = await prepareWorkspace(a.ok ? a.value : mirror, second, join(root.path, "cloned-ws"));
    expect(workspace.ok).toBe(true);
  });

  it("without --clone-from, a missing repository says what to clone", async () => {
    const missing = await new RepoCache({ dir: join(root.path, "empty") }).mirror("acme/nothing");
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.error.message).toContain("git clone --bare https://github.com/acme/nothing.git");
  });
});
