/**
 * The export register: every return saved from this vault for oversight, one's own for everyone
 * else (main decides which rows come back; preload/contract/permissions.ts says who sees which).
 */
import type { ColDef } from 'ag-grid-community';
import type { Role } from '../../../../preload/contract';
import { seesWholeRegister } from '../../../../preload/contract/permissions';
import type { ExportRegisterRow } from '../../../../preload/contract/schemas/returns';
import { formatBytes, formatUkDateTime } from '../../app/format';
import { DataGrid } from '../../app/grid';
import { ownFormatting } from '../../components/columns';
import { formatDay } from '../../components/dates';

const KIND_SHORT: Record<string, string> = { corporate: 'Corporate return', meeting_pack: 'Meeting pack', network_list: 'Network list' };

const registerColumns: ColDef<ExportRegisterRow>[] = ownFormatting<ExportRegisterRow>([
  { field: 'at', headerName: 'Saved', width: 165, sort: 'desc', valueFormatter: (p) => formatUkDateTime(p.value as string), getQuickFilterText: (p) => formatUkDateTime(p.value as string), filter: false },
  { field: 'userName', headerName: 'By', width: 135 },
  { field: 'kind', headerName: 'Return', width: 140, valueFormatter: (p) => KIND_SHORT[p.value as string] ?? (p.value as string), filterValueGetter: (p) => (p.data ? (KIND_SHORT[p.data.kind] ?? p.data.kind) : '') },
  { field: 'period', headerName: 'Period or as of', width: 140, valueFormatter: (p) => (/^\d{4}-\d{2}-\d{2}$/.test(p.value as string) ? formatDay(p.value as string) : (p.value as string)) },
  { field: 'format', headerName: 'Format', width: 95, valueFormatter: (p) => String(p.value ?? '').toUpperCase() },
  { field: 'ruleSet', headerName: 'Rules', width: 100 },
  { field: 'copyNumber', headerName: 'Copy', width: 85, type: 'numericColumn', filter: 'agNumberColumnFilter' },
  // The day after which the copy must be destroyed, as printed in it.
  {
    field: 'destroyAfter',
    headerName: 'Destroy after',
    width: 120,
    valueFormatter: (p) => (p.value ? formatDay(p.value as string) : 'not printed'),
    getQuickFilterText: (p) => (p.value ? formatDay(p.value as string) : ''),
  },
  { field: 'purpose', headerName: 'Purpose', width: 200, wrapText: true, autoHeight: true },
  { field: 'recipient', headerName: 'Recipient', width: 200, wrapText: true, autoHeight: true },
  { field: 'fileName', headerName: 'File', width: 230 },
  { field: 'bytes', headerName: 'Size', width: 95, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: (p) => formatBytes(p.value as number) },
  { field: 'sha256', headerName: 'SHA-256', width: 180, cellClass: 'mono-cell' },
  // The audit log head printed in the copy: check the log against the copy with `audit verify --anchor`.
  { field: 'auditHeadSeq', headerName: 'Audit head entry', width: 120, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: (p) => (p.value === null || p.value === undefined ? 'not printed' : String(p.value)) },
  { field: 'auditHeadHash', headerName: 'Audit head hash', width: 180, cellClass: 'mono-cell', valueFormatter: (p) => (p.value as string | null) ?? '' },
]);

export function ExportRegister(props: {
  role: Role;
  stateOwner: string;
  rows: ExportRegisterRow[] | null;
  /** The find box's text, kept by the screen so it survives a change of tab. */
  find: string;
  onFind: (text: string) => void;
}) {
  return (
    <>
      <p className="muted">
        {seesWholeRegister(props.role)
          ? 'Every return and list saved from this vault: who, when, what, why, for whom, and the day after which the copy must be destroyed.'
          : 'The returns and lists you have saved: when, what, why, for whom, and the day after which the copy must be destroyed. Supervisors see everyone’s.'}
      </p>
      <div className="toolbar register-toolbar">
        <div className="field quick-filter inline">
          <label htmlFor="register-find">Find in the register</label>
          <input id="register-find" type="search" value={props.find} onChange={(e) => props.onFind(e.target.value)} autoComplete="off" />
        </div>
      </div>
      <DataGrid<ExportRegisterRow>
        gridId="export-register"
        stateOwner={props.stateOwner}
        label="Export register"
        emptyText="Nothing has been exported yet."
        rows={props.rows}
        columns={registerColumns}
        getRowId={(p) => p.data.id}
        quickFilterText={props.find}
      />
    </>
  );
}
