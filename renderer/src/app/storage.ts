/**
 * The renderer's own storage, and what may be in it. Chromium writes localStorage and
 * sessionStorage to the profile folder unencrypted, and it survives a lock, so the page keeps
 * nothing there that came from the vault or from what a person typed. The one thing kept is each
 * grid's column layout (order, widths, hidden columns, sort): it names only the columns the screen
 * itself defines. Column filters, quick-filter text and everything else live in memory only and
 * go with the page, which reloads at every lock.
 *
 * `purgeStorage` runs on every lock and whenever the page starts without an unlocked vault, so
 * anything an older version wrote (its saved column filters held typed names) is removed too.
 */
import type { GridState } from 'ag-grid-community';

/** Every grid's layout is stored under a key with this prefix (see grid.tsx). */
const LAYOUT_PREFIX = 'hm.grid.';

/** The parts of a grid's state that can hold no vault data and nothing typed. */
export const LAYOUT_STATE: readonly (keyof GridState)[] = ['columnOrder', 'columnSizing', 'columnVisibility', 'sort'];

function layoutOnly(value: unknown): Partial<GridState> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Partial<GridState> = {};
  for (const k of LAYOUT_STATE) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** A grid's stored layout, with anything else that may be stored under its key left out. */
export function readLayout(key: string): Partial<GridState> | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? layoutOnly(JSON.parse(raw)) : undefined;
  } catch {
    return undefined;
  }
}

export function writeLayout(key: string, state: Partial<GridState>): void {
  try {
    localStorage.setItem(key, JSON.stringify(layoutOnly(state) ?? {}));
  } catch {
    // Storage full or unavailable: the grid still works, only its layout is not remembered.
  }
}

/** Empty sessionStorage; keep of localStorage only the grids' layouts, stripped to layout. */
export function purgeStorage(): void {
  try {
    sessionStorage.clear();
  } catch {
    // Unavailable storage holds nothing.
  }
  try {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(LAYOUT_PREFIX)) {
        localStorage.removeItem(key);
        continue;
      }
      const raw = localStorage.getItem(key);
      let layout: Partial<GridState> | undefined;
      try {
        layout = raw ? layoutOnly(JSON.parse(raw)) : undefined;
      } catch {
        layout = undefined;
      }
      if (!layout) localStorage.removeItem(key);
      else if (JSON.stringify(layout) !== raw) localStorage.setItem(key, JSON.stringify(layout));
    }
  } catch {
    // As above.
  }
}
