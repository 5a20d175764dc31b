// Prints what a browser downloads from target/site/pkg after `cargo leptos build --split`:
// the files every page loads, then for each lazy area (app/src/lib.rs) what the first page of
// that area loads in all (the main wasm and JavaScript, the area's wasm and the shared chunks it
// needs, as __wasm_split_manifest lists them). Sizes raw, gzip and brotli (quality 11, as
// CompressionLayer's best); the brotli column is what a browser receives.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const pkg = process.argv[2];
const files = readdirSync(pkg);
const find = (prefix, suffix) => {
  const name = files.find((f) => f.startsWith(prefix) && f.endsWith(suffix));
  if (!name) throw new Error(`no ${prefix}*${suffix} in ${pkg}: was the site built with --split?`);
  return name;
};
const sizes = new Map();
const size = (file) => {
  if (!sizes.has(file)) {
    const bytes = readFileSync(join(pkg, file));
    sizes.set(file, {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return sizes.get(file);
};
const sum = (list) =>
  list.reduce((t, f) => ({ raw: t.raw + size(f).raw, gzip: t.gzip + size(f).gzip, brotli: t.brotli + size(f).brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
const row = (label, count, s) =>
  console.log(`| ${label} | ${count} | ${s.raw.toLocaleString("en")} | ${s.gzip.toLocaleString("en")} | ${s.brotli.toLocaleString("en")} |`);

const manifest = JSON.parse(readFileSync(join(pkg, find("__wasm_split_manifest", ".json"))));
const everyPage = [find("tend.", ".wasm"), find("tend.", ".js"), find("__wasm_split.", ".js")];
const css = find("tend.", ".css");

console.log("| what | files | raw | gzip | brotli |");
console.log("|---|---:|---:|---:|---:|");
for (const file of [...everyPage, css]) row(file.replace(/\.[A-Za-z0-9_-]{22}\./, "."), 1, size(file));
row("**every page** (main wasm and JavaScript)", everyPage.length, sum(everyPage));
const areas = Object.keys(manifest).sort();
for (const area of areas) {
  const own = files.find((f) => f.startsWith(`split_${area}.`) && f.endsWith(".wasm"));
  const parts = [...everyPage, own, ...manifest[area].map((chunk) => `${chunk}.wasm`)];
  row(`first page of ${area.replace(/_\d+$/, "")}`, parts.length, sum(parts));
}
const wasm = files.filter((f) => f.endsWith(".wasm"));
row("all wasm files (the whole app)", wasm.length, sum(wasm));
