#!/usr/bin/env node
// `npm run bench -- NAME`: runs dist/bench/NAME.js (built from bench/NAME.ts by `npm run build`).
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const name = process.argv[2];
const dir = join(__dirname, '..', 'dist', 'bench');
const available = existsSync(dir)
  ? readdirSync(dir).filter((f) => f.endsWith('.js') && !f.startsWith('_')).map((f) => f.replace(/\.js$/, ''))
  : [];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (available: ${available.join(', ') || 'none: run npm run build'})`);
  process.exit(2);
}
require(join(dir, `${name}.js`));
