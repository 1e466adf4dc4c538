import type { ColDef, IDateFilterParams } from 'ag-grid-community';
import type { AuditRow } from '../../../../preload/contract';
import { AUDIT_ACTION_LABELS, type AuditAction } from '../../../../preload/contract';
import { formatUkDateTime } from '../../app/format';

export type { AuditAction };

export const ACTION_LABELS = AUDIT_ACTION_LABELS;

/** Entity types written so far; the filter field suggests these but accepts any. */
export const KNOWN_ENTITY_TYPES = ['vault', 'user', 'settings', 'audit_log'] as const;

/** The grid's own date filter compares the local calendar day of each entry. */
const dateFilterParams: IDateFilterParams = {
  comparator: (filterDate: Date, cellValue: string) => {
    const d = new Date(cellValue);
    const day = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    return day < filterDate.getTime() ? -1 : day > filterDate.getTime() ? 1 : 0;
  },
};

export const auditColumns: ColDef<AuditRow>[] = [
  { field: 'seq', headerName: 'Seq', width: 100, filter: 'agNumberColumnFilter', sort: 'desc' },
  {
    field: 'at',
    headerName: 'Time',
    width: 170,
    valueFormatter: (p) => formatUkDateTime(p.value as string),
    filter: 'agDateColumnFilter',
    filterParams: dateFilterParams,
  },
  { field: 'userName', headerName: 'User', width: 130, valueFormatter: (p) => (p.value as string | null) ?? '(none)' },
  {
    field: 'action',
    headerName: 'Action',
    width: 130,
    valueFormatter: (p) => (p.value ? ACTION_LABELS[p.value as AuditAction] : ''),
    filterValueGetter: (p) => (p.data ? ACTION_LABELS[p.data.action] : ''),
  },
  { field: 'entityType', headerName: 'Entity', width: 100 },
  { field: 'entityId', headerName: 'Entity ID', width: 110, valueFormatter: (p) => (p.value as string | null) ?? '' },
  // Summaries are short sentences: wrap rather than cut them off.
  { field: 'summary', headerName: 'Summary', flex: 1, minWidth: 300, wrapText: true, autoHeight: true },
  // The reason given before a restricted record was opened: kept apart from the summary.
  { field: 'justification', headerName: 'Reason', width: 220, wrapText: true, autoHeight: true, valueFormatter: (p) => (p.value as string | null) ?? '' },
];
