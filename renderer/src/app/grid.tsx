/**
 * The one ag-grid wrapper. Registers only the modules the screens use (a lean bundle), and uses
 * the legacy CSS-file theme: the Theming API injects <style> elements at run time, which
 * `style-src 'self'` forbids unless each page load carries a nonce
 * (https://www.ag-grid.com/react-data-grid/security/). The CSS files are bundled and loaded as
 * ordinary stylesheets instead, so the CSP stays strict.
 *
 * Column state (order, widths, sort, column filters) is kept per vault and per user in
 * localStorage; it holds no vault data.
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

/** What is worth remembering between sessions; not the scroll position or focused cell. */
const REMEMBERED: (keyof GridState)[] = ['columnOrder', 'columnSizing', 'columnVisibility', 'sort', 'filter'];

function loadState(key: string): GridState | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as GridState) : undefined;
  } catch {
    return undefined;
  }
}

const defaultColDef: ColDef = { sortable: true, filter: true, resizable: true };

export function DataGrid<T>(props: {
  /** Names the grid in the stored column state, e.g. 'audit'. */
  gridId: string;
  /** Vault path and user id: column state is remembered per user. */
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
      const keep: Partial<GridState> = {};
      for (const k of REMEMBERED) if (e.state[k] !== undefined) (keep as Record<string, unknown>)[k] = e.state[k];
      const json = JSON.stringify(keep);
      if (json === lastSaved.current) return;
      lastSaved.current = json;
      try {
        localStorage.setItem(storageKey, json);
      } catch {
        // Storage full or unavailable: the grid still works, only its layout is not remembered.
      }
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
