// Prints what a browser downloads from target/site/pkg after scripts/lib.sh's build_site: for
// each wasm bundle (the provider app, the client portal: app/src/bundles.rs) the files every
// page of it loads, then for each lazy area (app/src/lib.rs) what the first page of that area
// loads in all (the main wasm and JavaScript, the area's wasm and the shared chunks it needs, as
// the bundle's __wasm_split_manifest lists them). Sizes raw, gzip and brotli (quality 11, as
// CompressionLayer's best); the brotli column is what a browser receives.
//
// Usage: node scripts/bundle-sizes.mjs PKG_DIR LABEL=HASH_FILE... [--area=NAME] (the hash files
// cargo-leptos writes beside the server binary name each bundle's files). With --area (e.g.
// --area=portal_book_page), also lists that area's files, largest first, each with the areas
// that load it: where a first page's bytes come from, before cutting an area.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const explain = args.find((a) => a.startsWith("--area="))?.slice("--area=".length);
const [pkg, ...bundles] = args.filter((a) => !a.startsWith("--area="));
const files = readdirSync(pkg);
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

const explanations = [];
const listFiles = (area, wasm, manifest) => {
  const lines = [...new Set(wasm)].map((file) => {
    const chunk = file.replace(/\.wasm$/, "");
    const users = Object.keys(manifest).filter((a) => manifest[a].includes(chunk));
    return { file, brotli: size(file).brotli, users: users.map((a) => a.replace(/_\d+$/, "").replace(/^portal_|_page$/g, "")).join(", ") };
  });
  lines.sort((a, b) => b.brotli - a.brotli);
  explanations.push(`\nThe wasm of ${area.replace(/_\d+$/, "")} beyond the main file (brotli, and the areas loading it):`);
  for (const l of lines) explanations.push(`- ${l.file}: ${l.brotli.toLocaleString("en")} (${l.users || "its own"})`);
};

const hashesIn = (hashFile) =>
  Object.fromEntries(
    readFileSync(hashFile, "utf8")
      .split("\n")
      .filter((line) => line.includes(":"))
      .map((line) => line.split(":").map((part) => part.trim())),
  );

console.log("| what | files | raw | gzip | brotli |");
console.log("|---|---:|---:|---:|---:|");
for (const bundle of bundles) {
  const [label, hashFile] = bundle.split("=");
  const hash = hashesIn(hashFile);
  if (!hash.manifest || !hash.split) throw new Error(`${hashFile} names no split files: was the site built with --split?`);
  const splitJs = `__wasm_split.${hash.split}.js`;
  const everyPage = [`tend.${hash.wasm}.wasm`, `tend.${hash.js}.js`, splitJs];
  const manifest = JSON.parse(readFileSync(join(pkg, `__wasm_split_manifest.${hash.manifest}.json`)));
  // An area's own wasm is named in the bundle's loader (two bundles may each have one).
  const loader = readFileSync(join(pkg, splitJs), "utf8");
  const ownFile = (area) => {
    const found = loader.match(new RegExp(`split_${area}\\.[A-Za-z0-9_-]+\\.wasm`));
    if (!found) throw new Error(`${splitJs} names no wasm for ${area}`);
    return found[0];
  };
  row(`**${label}: every page** (main wasm and JavaScript)`, everyPage.length, sum(everyPage));
  const all = new Set(everyPage.filter((f) => f.endsWith(".wasm")));
  for (const area of Object.keys(manifest).sort()) {
    // The manifest's list names the area's own file too: a set, so it is counted once.
    const parts = [...new Set([...everyPage, ownFile(area), ...manifest[area].map((chunk) => `${chunk}.wasm`)])];
    parts.filter((f) => f.endsWith(".wasm")).forEach((f) => all.add(f));
    row(`${label}: first page of ${area.replace(/_\d+$/, "")}`, parts.length, sum(parts));
  }
  row(`${label}: all its wasm files`, all.size, sum([...all]));
  const explained = Object.keys(manifest).find((area) => area.replace(/_\d+$/, "") === explain);
  if (explained) listFiles(explained, [ownFile(explained), ...manifest[explained].map((c) => `${c}.wasm`)], manifest);
}
row("css (every page)", 1, size(files.find((f) => f.startsWith("tend.") && f.endsWith(".css"))));
explanations.forEach((line) => console.log(line));
