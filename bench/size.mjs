// What the browser downloads: the wasm, the JS glue and the CSS of dist/, raw, gzip -9 and brotli
// (quality 11, the best a server would precompress with).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export function sizes(text) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

/** The app's files in `dist` by kind: { wasm, js, css }, each { files, raw, gzip, brotli }. */
export function measureSize(dist) {
  const kinds = { wasm: /\.wasm$/, js: /\.js$/, css: /\.css$/ };
  const names = readdirSync(dist);
  const result = {};
  for (const [kind, pattern] of Object.entries(kinds)) {
    const files = names.filter((name) => pattern.test(name));
    if (files.length === 0) throw new Error(`no ${kind} file in ${dist}: is the app built?`);
    const total = { files, raw: 0, gzip: 0, brotli: 0 };
    for (const file of files) {
      const size = sizes(readFileSync(join(dist, file)));
      total.raw += size.raw;
      total.gzip += size.gzip;
      total.brotli += size.brotli;
    }
    result[kind] = total;
  }
  return result;
}
