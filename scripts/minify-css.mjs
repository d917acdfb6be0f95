// Writes a whitespace- and comment-free copy of a stylesheet (for the readers' builds, whose
// every byte counts: `build_app` in scripts/tools.sh). Quoted strings are copied as they are;
// outside them, comments go, whitespace runs become one space, and spaces next to { } ; ,
// go (never next to ':' or an operator: `a :hover` and `calc(a - b)` keep their meaning).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: node scripts/minify-css.mjs <in.css> <out.css>');
  process.exit(2);
}
const css = readFileSync(from, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
const out = css
  .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/)
  .map((part, n) => (n % 2 === 1 ? part : part
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/;}/g, '}')))
  .join('')
  .trim();
mkdirSync(dirname(to), { recursive: true });
writeFileSync(to, out + '\n');
