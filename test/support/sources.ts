import fs from 'node:fs';
import path from 'node:path';

export const SRC = path.resolve(__dirname, '..', '..', 'src');

/** Every TypeScript source file under `dir` (default src/). */
export function sources(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The source modules (relative to src/) whose text matches `pattern`. */
export const sourcesMatching = (pattern: RegExp): string[] =>
  sources()
    .filter((f) => pattern.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(SRC, f))
    .sort();
