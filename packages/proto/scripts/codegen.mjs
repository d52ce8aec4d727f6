// Regenerates src/gen from proto/ with buf (compiler) + ts-proto (plugin),
// both installed from npm. The output is never edited by hand.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(pkgDir, "../..");
const bin = join(repoRoot, "node_modules", ".bin");

rmSync(join(pkgDir, "src", "gen"), { recursive: true, force: true });
execFileSync(join(bin, "buf"), ["lint", join(repoRoot, "proto")], { stdio: "inherit" });
execFileSync(
  join(bin, "buf"),
  ["generate", join(repoRoot, "proto"), "--template", join(pkgDir, "buf.gen.yaml")],
  { cwd: pkgDir, stdio: "inherit", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } },
);
