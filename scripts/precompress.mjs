// Trunk post-build hook: writes `name.br` and `name.gz` beside every text or wasm asset so the
// server sends precompressed bytes (best brotli, made once per build, not per request).
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';
const compressible = /\.(wasm|js|css|svg|json|txt|webmanifest)$/;

function walk(d) {
  for (const name of readdirSync(d)) {
    const path = join(d, name);
    if (statSync(path).isDirectory()) { walk(path); continue; }
    if (!compressible.test(name) || name === 'index.html') continue;
    const raw = readFileSync(path);
    if (raw.length < 512) continue;
    writeFileSync(path + '.br', brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_MODE]: name.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    }));
    writeFileSync(path + '.gz', gzipSync(raw, { level: 9 }));
  }
}
walk(dir);
