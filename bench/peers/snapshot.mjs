// A frozen copy of the built toad for the length of one bench run. Other people
// rebuild dist/ in this repository while the bench runs (minutes); timing a build
// that changes, or half-writes, under the runs would mix two programs in one row.
//
// Layout: SNAP/node_modules/@toad/<pkg> holds a copy of each workspace package's
// package.json, dist/ and bin/ (its own node_modules/, if any, is linked); every other
// entry of the root node_modules/ is a symlink. Node resolves "@toad/x" from a copied
// file to the copy, and any other package to the shared install.

import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readlink, realpath, symlink } from "node:fs/promises";
import { join, resolve } from "node:path";

/** @returns {Promise<string>} the path of the snapshot's `toad` bin script */
export async function snapshotToad(root, dest) {
  const modules = join(root, "node_modules");
  const snapModules = join(dest, "node_modules");
  await mkdir(join(snapModules, "@toad"), { recursive: true });
  for (const entry of await readdir(modules)) {
    if (entry === "@toad" || entry === ".bin") continue;
    await symlink(join(modules, entry), join(snapModules, entry));
  }
  for (const name of await readdir(join(modules, "@toad"))) {
    const link = join(modules, "@toad", name);
    const source = await realpath(resolve(join(modules, "@toad"), await readlink(link)));
    const target = join(snapModules, "@toad", name);
    await mkdir(target, { recursive: true });
    await cp(join(source, "package.json"), join(target, "package.json"));
    for (const dir of ["dist", "bin"]) {
      if (existsSync(join(source, dir))) await cp(join(source, dir), join(target, dir), { recursive: true });
    }
    if (existsSync(join(source, "node_modules"))) {
      await symlink(join(source, "node_modules"), join(target, "node_modules"));
    }
  }
  return join(snapModules, "@toad", "cli", "bin", "toad.js");
}
