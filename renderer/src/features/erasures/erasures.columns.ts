/** The erase register's columns: ids, references, kinds, dates, reasons, who erased and what went; never a name of the erased. */
import type { ColDef, IDateFilterParams } from 'ag-grid-community';
import type { ErasureRow } from '../../../../preload/contract';
import { ERASE_KIND_LABELS } from '../../../../preload/contract/vocabulary';
import { formatUkDateTime } from '../../app/format';

/** The grid's date filter compares the local calendar day of each erasure. */
const dateFilterParams: IDateFilterParams = {
  comparator: (filterDate: Date, cellValue: string) => {
    const d = new Date(cellValue);
    const day = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    return day < filterDate.getTime() ? -1 : day > filterDate.getTime() ? 1 : 0;
  },
};

export const erasureColumns: ColDef<ErasureRow>[] = [
  {
    field: 'erasedAt',
    headerName: 'When',
    width: 190,
    sort: 'desc',
    valueFormatter: (p) => formatUkDateTime(p.value as string),
    filter: 'agDateColumnFilter',
    filterParams: dateFilterParams,
  },
  {
    field: 'kind',
    headerName: 'Kind',
    width: 150,
    valueFormatter: (p) => (p.data ? ERASE_KIND_LABELS[p.data.kind] : ''),
    filterValueGetter: (p) => (p.data ? ERASE_KIND_LABELS[p.data.kind] : ''),
  },
  { field: 'reference', headerName: 'Reference', width: 140 },
  { field: 'recordId', headerName: 'Record ID', width: 130 },
  { field: 'reason', headerName: 'Reason', flex: 1, minWidth: 200, wrapText: true, autoHeight: true },
  { field: 'erasedBy', headerName: 'Erased by', width: 150 },
  { field: 'summary', headerName: 'What was erased', flex: 1, minWidth: 220, wrapText: true, autoHeight: true },
  {
    field: 'reappliedAt',
    headerName: 'Re-applied at restore',
    width: 180,
    valueFormatter: (p) => (p.value ? formatUkDateTime(p.value as string) : '—'),
  },
  { field: 'id', headerName: 'Erasure ID', width: 150, hide: true },
];
