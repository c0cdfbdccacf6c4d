// Build-time check of apps/cli/build.mjs and apps/hook/build.mjs: a bundle the launcher starts is
// read whole into one string on every run, and a single character outside ASCII (esbuild escapes
// them in strings, not in regular expressions) makes that a two-byte string: twice the memory to
// read, wrap and compile, and a garbage collection more at start.
import { readFileSync } from 'node:fs';

/** Throws, naming the line, when the file at `path` holds a character outside ASCII. */
export function assertAsciiBundle(path) {
  const text = readFileSync(path, 'latin1');
  const at = text.search(/[\x80-\xff]/);
  if (at === -1) return;
  const line = text.slice(0, at).split('\n').length;
  const around = text.slice(Math.max(0, at - 60), at + 20);
  throw new Error(`${path}:${line}: a character outside ASCII (escape it as \\u…): …${around}…`);
}
