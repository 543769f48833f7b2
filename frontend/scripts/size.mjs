// Prints the gzipped size of the JavaScript index.html loads up front (entry + modulepreloads).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;

let html;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error('dist/index.html not found: run `npm run build` first.');
  process.exit(1);
}

/** @param {RegExp} pattern */
const urls = (pattern) => [...html.matchAll(pattern)].flatMap((m) => (m[1] ? [m[1]] : []));
const scripts = urls(/<script\b[^>]*\bsrc="([^"]+)"/g);
const preloads = urls(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g);
const files = [...new Set([...scripts, ...preloads])].filter((src) => !/^https?:/.test(src));

if (files.length === 0) {
  console.error('No local <script src> in dist/index.html.');
  process.exit(1);
}

/** @param {number} bytes */
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
let raw = 0;
let gzipped = 0;
for (const src of files) {
  const content = readFileSync(join(dist, src.replace(/^\//, '')));
  const gz = gzipSync(content, { level: 9 }).length;
  raw += content.length;
  gzipped += gz;
  console.log(`${src}  ${kB(content.length)}  gzip ${kB(gz)}`);
}
console.log(`initial JS: ${kB(raw)}  gzip ${kB(gzipped)} (${gzipped} bytes)`);
