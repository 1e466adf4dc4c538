/**
 * The house's fences (docs/architecture.md), as a pure check over source text: which room may
 * import which, where SQL may be written, and no circles. test/unit/house-rules.test.ts runs it
 * over every source file of the checkout and over small made-up trees that break each rule.
 *
 * Paths are repository-relative with forward slashes. Only relative imports and bare package
 * names are read; what an import names is resolved against the files given.
 */

export interface Violation {
  file: string;
  rule: string;
  detail: string;
}

export interface ImportRef {
  spec: string;
  /** The resolved repository path for a relative import; null for a package or an unknown file. */
  target: string | null;
  isTypeOnly: boolean;
}

const IMPORT_RE =
  /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\bfrom\s*)?['"]([^'"\n]+)['"]|\bimport\(\s*['"]([^'"\n]+)['"]\s*\)|\brequire\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** Comments and template literals blanked out, so an import-shaped line inside either is not read. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"\\])\/\/[^\n]*/g, (m, p1: string) => p1 + ' '.repeat(m.length - p1.length))
    .replace(/`(?:\\[\s\S]|[^`\\])*`/g, (m) => m.replace(/[^\n]/g, ' '));
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.tsx'];

function resolveRelative(from: string, spec: string, files: ReadonlySet<string>): string | null {
  const parts = from.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '.' || seg === '') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  const base = parts.join('/');
  for (const ext of EXTENSIONS) if (files.has(base + ext)) return base + ext;
  // Imports of non-code files (CSS, JSON, fonts) still name a place: keep the path as written.
  return /\.(css|json|woff2?|png|svg)$/.test(base) ? base : null;
}

export function importsOf(file: string, source: string, files: ReadonlySet<string>): ImportRef[] {
  const out: ImportRef[] = [];
  const code = codeOnly(source);
  for (const m of code.matchAll(IMPORT_RE)) {
    const spec = m[3] ?? m[4] ?? m[5];
    if (!spec) continue;
    const isTypeOnly = m[2] !== undefined && m[1] !== undefined;
    const target = spec.startsWith('.') ? resolveRelative(file, spec, files) : null;
    out.push({ spec, target, isTypeOnly });
  }
  return out;
}

const NODE_IO = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|tls|worker_threads|cluster|os|process)$/;
const DRIVER = /^better-sqlite3(-multiple-ciphers)?$/;
/**
 * Calls that run SQL on a better-sqlite3 handle. `exec` counts when it is given text directly, so
 * a RegExp's `exec(value)` is not taken for SQL.
 */
const SQL_CALL = /\.\s*(?:prepare|pragma|transaction|loadExtension)\s*\(|\.\s*exec\s*\(\s*['"`]/g;

const under = (file: string, room: string) => file === room || file.startsWith(room.endsWith('/') ? room : `${room}/`);

/** The rooms, from the layout in docs/architecture.md. */
function roomOf(file: string): string {
  if (under(file, 'preload/contract')) return 'contract';
  if (file === 'preload/index.ts' || file === 'preload/api.ts') return 'preload';
  if (under(file, 'renderer')) return 'renderer';
  const m = /^main\/([^/]+)\//.exec(file);
  if (m) return `main/${m[1]}`;
  if (file === 'main/cli.ts') return 'main/cli';
  if (file === 'main/index.ts') return 'main/index';
  return file.split('/')[0];
}

interface Fence {
  rule: string;
  /** The rooms the rule applies to. */
  from: (room: string, file: string) => boolean;
  /** True when the import is forbidden. */
  forbids: (ref: ImportRef, targetRoom: string | null) => boolean;
}

const FENCES: Fence[] = [
  {
    rule: 'the domain is pure: no store, vault, services, ipc, window, Electron or Node I/O',
    from: (r) => r === 'main/domain',
    forbids: (ref, t) =>
      NODE_IO.test(ref.spec) ||
      DRIVER.test(ref.spec) ||
      ref.spec === 'electron' ||
      (t !== null && ['main/store', 'main/vault', 'main/services', 'main/ipc', 'main/window', 'main/audit', 'main/returns', 'main/app', 'main/workers', 'main/cli', 'main/index'].includes(t)),
  },
  {
    rule: 'only the vault, the store and the audit chain touch the database driver',
    from: (r) => !['main/vault', 'main/store', 'main/audit'].includes(r),
    forbids: (ref) => DRIVER.test(ref.spec) && !ref.isTypeOnly,
  },
  {
    rule: 'the store never imports services, ipc, window, returns or the CLI',
    from: (r) => r === 'main/store',
    forbids: (_ref, t) => t !== null && ['main/services', 'main/ipc', 'main/window', 'main/returns', 'main/cli', 'main/index', 'main/workers'].includes(t),
  },
  {
    rule: 'the audit chain never imports services, the store, ipc or window',
    from: (r) => r === 'main/audit',
    forbids: (_ref, t) => t !== null && ['main/services', 'main/store', 'main/ipc', 'main/window', 'main/cli', 'main/index'].includes(t),
  },
  {
    rule: 'the vault never imports the store, services, ipc or window',
    from: (r) => r === 'main/vault',
    forbids: (_ref, t) => t !== null && ['main/store', 'main/services', 'main/ipc', 'main/window', 'main/returns', 'main/cli', 'main/index'].includes(t),
  },
  {
    rule: 'services never import ipc, window, the CLI or Electron',
    from: (r) => r === 'main/services' || r === 'main/returns' || r === 'main/demo',
    forbids: (ref, t) => ref.spec === 'electron' || (t !== null && ['main/ipc', 'main/window', 'main/cli', 'main/index'].includes(t)),
  },
  {
    rule: 'the renderer sees only the shared layer and window.api: no main, no Electron, no Node',
    from: (r) => r === 'renderer',
    forbids: (ref, t) =>
      ref.spec === 'electron' ||
      ref.spec.startsWith('node:') ||
      NODE_IO.test(ref.spec) ||
      (t !== null && (t.startsWith('main') || (t === 'preload' && !(ref.isTypeOnly && ref.target === 'preload/api.ts')))),
  },
  {
    rule: 'the preload imports only Electron and the shared layer',
    from: (r) => r === 'preload',
    forbids: (ref, t) => (ref.target === null ? ref.spec !== 'electron' : t !== 'contract' && t !== 'preload'),
  },
  {
    rule: 'the preload loads no zod at run time: only type imports of the contract beyond its channel names',
    from: (_r, f) => f === 'preload/index.ts' || f === 'preload/api.ts',
    forbids: (ref) => ref.target !== null && ref.target.startsWith('preload/contract/') && ref.target !== 'preload/contract/channels.ts' && !ref.isTypeOnly,
  },
  {
    rule: 'the shared layer imports only zod and itself',
    from: (r) => r === 'contract',
    forbids: (ref, t) => (ref.target === null ? ref.spec !== 'zod' : t !== 'contract'),
  },
];

/** Rooms where no SQL may be written: everything but the vault, the store and the audit chain. */
function isSqlForbidden(file: string): boolean {
  const r = roomOf(file);
  return !['main/vault', 'main/store', 'main/audit'].includes(r) && (r.startsWith('main') || r === 'renderer' || r === 'preload' || r === 'contract');
}

/** Files that are project source (tests, benches and scripts are checked for nothing). */
export function isSource(file: string): boolean {
  return /^(main|preload|renderer\/src)\/.*\.(ts|tsx)$/.test(file) && !file.endsWith('.d.ts');
}

export function checkHouse(sources: ReadonlyMap<string, string>): Violation[] {
  const files = new Set(sources.keys());
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, source] of sources) {
    if (!isSource(file)) continue;
    const room = roomOf(file);
    const refs = importsOf(file, source, files);
    graph.set(
      file,
      refs.flatMap((r) => (r.target && isSource(r.target) ? [r.target] : [])),
    );
    for (const ref of refs) {
      const targetRoom = ref.target ? roomOf(ref.target) : null;
      for (const fence of FENCES) {
        if (fence.from(room, file) && fence.forbids(ref, targetRoom)) {
          violations.push({ file, rule: fence.rule, detail: `imports '${ref.spec}'` });
        }
      }
    }
    if (isSqlForbidden(file)) {
      // Template literals are kept here (SQL is often written in one); comments are not.
      const code = source.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"\\])\/\/[^\n]*/g, (m, p1: string) => p1 + ' '.repeat(m.length - p1.length));
      for (const m of code.matchAll(SQL_CALL)) {
        const line = code.slice(0, m.index).split('\n').length;
        violations.push({ file, rule: 'every SQL statement lives in the store, the vault or the audit chain', detail: `line ${line}: ${source.split('\n')[line - 1].trim().slice(0, 80)}` });
      }
    }
  }
  for (const cycle of cyclesOf(graph)) {
    violations.push({ file: cycle[0], rule: 'no circles', detail: cycle.concat(cycle[0]).join(' -> ') });
  }
  return violations;
}

/** Every strongly connected group of two or more files (or a file importing itself), by Tarjan. */
function cyclesOf(graph: ReadonlyMap<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}
