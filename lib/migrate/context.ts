// The build context as migrate sees it: files addressed by posix paths relative to its root.
import { readFileSync, statSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { MigrateError } from './types.ts';

export interface BuildContext {
  /** File text, or undefined when there is no such file. Throws MigrateError when unreadable. */
  read(path: string): string | undefined;
  isDir(path: string): boolean;
  /** Files below a directory, recursively, as context paths. */
  list(dir: string): string[];
}

export function normalize(path: string): string {
  const n = posix.normalize(path.replace(/\\/g, '/')).replace(/^(\.\/)+/, '').replace(/\/$/, '');
  return n === '.' ? '' : n;
}

export function memoryContext(files: Readonly<Record<string, string>>): BuildContext {
  const map = new Map(Object.entries(files).map(([k, v]) => [normalize(k), v]));
  const under = (dir: string): string[] => {
    const d = normalize(dir);
    return [...map.keys()].filter((k) => d === '' || k.startsWith(d + '/')).sort();
  };
  return {
    read: (path) => map.get(normalize(path)),
    isDir: (path) => !map.has(normalize(path)) && under(path).length > 0,
    list: under,
  };
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_LISTED = 5000;

/** Docker cannot COPY from outside the context, and neither does migrate read there. */
const outside = (p: string): boolean => {
  const n = normalize(p);
  return n === '..' || n.startsWith('../') || n.startsWith('/');
};

export function fsContext(root: string): BuildContext {
  const abs = (p: string): string => join(root, normalize(p));
  const stat = (p: string) => {
    if (outside(p)) return undefined;
    try {
      return statSync(abs(p));
    } catch {
      return undefined;
    }
  };
  return {
    read(path) {
      const s = stat(path);
      if (!s || !s.isFile()) return undefined;
      if (s.size > MAX_FILE_BYTES) throw new MigrateError(normalize(path), 1, `file is larger than ${MAX_FILE_BYTES} bytes`);
      try {
        return readFileSync(abs(path), 'utf8');
      } catch (e) {
        throw new MigrateError(normalize(path), 1, `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    },
    isDir: (path) => stat(path)?.isDirectory() ?? false,
    list(dir) {
      const out: string[] = [];
      const walk = (d: string): void => {
        let names: string[];
        try {
          names = readdirSync(abs(d));
        } catch {
          return;
        }
        for (const n of names.sort()) {
          if (out.length >= MAX_LISTED || n === 'node_modules' || n === '.git') continue;
          const p = d === '' ? n : `${d}/${n}`;
          const s = stat(p);
          if (s?.isDirectory()) walk(p);
          else if (s?.isFile()) out.push(p);
        }
      };
      walk(normalize(dir));
      return out;
    },
  };
}
