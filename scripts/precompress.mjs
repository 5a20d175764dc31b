// Writes FILE.br beside each wasm, JavaScript and CSS file in a site's pkg folder, compressed
// with brotli at its best (quality 11), which the server sends instead of compressing on the
// fly (server/src/assets.rs). Compressing each response on the fly uses a fast, low quality:
// the provider app's main wasm left the server as 289 KB instead of 241 KB. The names are
// content-hashed, so a .br already there is for the same bytes and is kept.
//
// Usage: node scripts/precompress.mjs PKG_DIR
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const [pkg] = process.argv.slice(2);
let written = 0;
for (const name of readdirSync(pkg)) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const file = join(pkg, name);
  const compressed = `${file}.br`;
  if (existsSync(compressed) && statSync(compressed).mtimeMs >= statSync(file).mtimeMs) continue;
  const bytes = readFileSync(file);
  const mode = name.endsWith(".wasm") ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT;
  writeFileSync(
    compressed,
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: mode,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  );
  written += 1;
}
console.log(`precompress: ${written} files compressed in ${pkg}`);
