/**
 * The one ag-grid wrapper. Registers only the modules the screens use (a lean bundle), and uses
 * the legacy CSS-file theme: the Theming API injects <style> elements at run time, which
 * `style-src 'self'` forbids unless each page load carries a nonce
 * (https://www.ag-grid.com/react-data-grid/security/). The CSS files are bundled and loaded as
 * ordinary stylesheets instead, so the CSP stays strict.
 *
 * Column layout (order, widths, which columns are shown, sort) is kept per vault and per user in
 * localStorage: it names only the screen's own columns, so it can hold no vault data. Column
 * filters hold whatever was typed (a name in the People filter), so they are kept in memory only,
 * for as long as the page lives: locking reloads the page and they are gone (storage.ts clears
 * the rest).
 */
import { useCallback, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  CellStyleModule,
  ClientSideRowModelModule,
  DateFilterModule,
  GridStateModule,
  ModuleRegistry,
  NumberFilterModule,
  QuickFilterModule,
  RowAutoHeightModule,
  RowSelectionModule,
  RowStyleModule,
  TextFilterModule,
  type CellKeyDownEvent,
  type ColDef,
  type FullWidthCellKeyDownEvent,
  type GetRowIdFunc,
  type GridState,
  type RowClassParams,
  type RowDoubleClickedEvent,
  type RowSelectionOptions,
  type SelectionChangedEvent,
  type StateUpdatedEvent,
} from 'ag-grid-community';
import 'ag-grid-community/styles/ag-grid.css';
import 'ag-grid-community/styles/ag-theme-quartz-no-font.css';
import '../styles/ag-grid-icons.css';
import { LAYOUT_STATE, readLayout, writeLayout } from './storage';

ModuleRegistry.registerModules([
  ClientSideRowModelModule,
  TextFilterModule,
  NumberFilterModule,
  DateFilterModule,
  GridStateModule,
  RowSelectionModule,
  RowAutoHeightModule,
  // The matrix screens: quick filter box, coloured band cells, marked rows (pinning is built in).
  QuickFilterModule,
  CellStyleModule,
  RowStyleModule,
]);

/** What may hold what a person typed: kept for the page's life only, never written to storage. */
const IN_MEMORY: (keyof GridState)[] = ['filter'];
const memoryState = new Map<string, Partial<GridState>>();

function loadState(key: string): GridState | undefined {
  const layout = readLayout(key);
  const memory = memoryState.get(key);
  return layout || memory ? ({ ...layout, ...memory } as GridState) : undefined;
}

function pick(state: GridState, keys: readonly (keyof GridState)[]): Partial<GridState> {
  const out: Partial<GridState> = {};
  for (const k of keys) if (state[k] !== undefined) (out as Record<string, unknown>)[k] = state[k];
  return out;
}

const defaultColDef: ColDef = { sortable: true, filter: true, resizable: true };

export function DataGrid<T>(props: {
  /** Names the grid in the stored column state, e.g. 'audit'. */
  gridId: string;
  /** Vault path and user id: column layout is remembered per user. */
  stateOwner: string;
  label: string;
  rows: T[] | null;
  columns: ColDef<T>[];
  getRowId: GetRowIdFunc<T>;
  /** Shown in the grid when there are no rows at all. */
  emptyText: string;
  isSelectable?: boolean;
  onSelected?: (row: T | null) => void;
  /** Text matched against every column (the quick filter box above the grid). */
  quickFilterText?: string;
  /** Enter on a row, or a double click: open it. */
  onRowActivated?: (row: T) => void;
  /** Small grids grow with their rows instead of filling the screen. */
  isCompact?: boolean;
  getRowClass?: (params: RowClassParams<T>) => string | undefined;
}) {
  const storageKey = `hm.grid.${props.gridId}.${props.stateOwner}`;
  const initialState = useMemo(() => loadState(storageKey), [storageKey]);
  const lastSaved = useRef<string | null>(null);
  const { onSelected, onRowActivated } = props;

  const onStateUpdated = useCallback(
    (e: StateUpdatedEvent<T>) => {
      memoryState.set(storageKey, pick(e.state, IN_MEMORY));
      const layout = pick(e.state, LAYOUT_STATE);
      const json = JSON.stringify(layout);
      if (json === lastSaved.current) return;
      lastSaved.current = json;
      writeLayout(storageKey, layout);
    },
    [storageKey],
  );

  const onSelectionChanged = useCallback(
    (e: SelectionChangedEvent<T>) => onSelected?.(e.api.getSelectedRows()[0] ?? null),
    [onSelected],
  );

  const onRowDoubleClicked = useCallback((e: RowDoubleClickedEvent<T>) => e.data && onRowActivated?.(e.data), [onRowActivated]);
  const onCellKeyDown = useCallback(
    (e: CellKeyDownEvent<T> | FullWidthCellKeyDownEvent<T>) => {
      if ((e.event as KeyboardEvent | null)?.key === 'Enter' && e.data) onRowActivated?.(e.data);
    },
    [onRowActivated],
  );

  const rowSelection = useMemo<RowSelectionOptions<T> | undefined>(
    () => (props.isSelectable ? { mode: 'singleRow', checkboxes: false, enableClickSelection: true } : undefined),
    [props.isSelectable],
  );

  const overlayParams = useMemo(
    () => ({ noRows: { overlayText: props.emptyText }, noMatchingRows: { overlayText: 'No rows match the column filters.' } }),
    [props.emptyText],
  );

  return (
    <div className={`grid ag-theme-quartz${props.isCompact ? ' grid-compact' : ''}`} role="region" aria-label={props.label}>
      <AgGridReact<T>
        theme="legacy"
        rowData={props.rows}
        columnDefs={props.columns}
        defaultColDef={defaultColDef}
        getRowId={props.getRowId}
        initialState={initialState}
        onStateUpdated={onStateUpdated}
        rowSelection={rowSelection}
        onSelectionChanged={onSelectionChanged}
        overlayComponentParams={overlayParams}
        quickFilterText={props.quickFilterText}
        onRowDoubleClicked={props.onRowActivated ? onRowDoubleClicked : undefined}
        onCellKeyDown={props.onRowActivated ? onCellKeyDown : undefined}
        domLayout={props.isCompact ? 'autoHeight' : 'normal'}
        getRowClass={props.getRowClass}
        // A handful of columns: render them all so none is missing from the DOM (and from screen
        // readers); rows stay virtualised, which is what matters for a long audit log.
        suppressColumnVirtualisation
        ensureDomOrder
      />
    </div>
  );
}
