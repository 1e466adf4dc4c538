/** Column definitions for the Flags grids; formatters are functions. */
import { ownFormatting } from '../../components/columns';
import type { ColDef } from 'ag-grid-community';
import type { Output } from '../../../../preload/contract';
import { formatUkDateTime } from '../../app/format';
import { formatDay } from '../../components/dates';
import { FLAG_CRITERIA_LABELS, FLAG_STATUS_LABELS } from '../../components/labels';
import { dayFilterParams } from '../matrix/matrix.columns';

/** A flag with its network's reference, looked up from the matrix list. */
export type FlagRow = Output<'flags:list'>[number] & { networkReference: string };

export function flagsColumns(): ColDef<FlagRow>[] {
  return ownFormatting([
    { field: 'subjectLabel', headerName: 'Subject', flex: 1, minWidth: 260 },
    { colId: 'subjectType', headerName: 'On', width: 95, valueGetter: (p) => (p.data ? (p.data.subjectType === 'person' ? 'Person' : 'Offence') : '') },
    {
      field: 'isUnder18',
      headerName: 'Under 18',
      width: 110,
      valueFormatter: (p) => (p.value ? 'Under 18' : ''),
      filterValueGetter: (p) => (p.data?.isUnder18 ? 'Under 18' : ''),
      getQuickFilterText: (p) => (p.value ? 'under 18' : ''),
      cellClass: (p) => (p.value ? 'marker-cell marker-u18-cell' : undefined),
    },
    { colId: 'status', headerName: 'Status', width: 120, valueGetter: (p) => (p.data ? (FLAG_STATUS_LABELS[p.data.status] ?? p.data.status) : '') },
    { colId: 'criteria', headerName: 'Criteria', width: 260, valueGetter: (p) => (p.data ? (FLAG_CRITERIA_LABELS[p.data.criteria] ?? p.data.criteria) : '') },
    { field: 'networkReference', colId: 'network', headerName: 'Network', width: 145 },
    { field: 'proposedAt', headerName: 'Proposed', width: 170, valueFormatter: (p) => formatUkDateTime(p.value as string) },
    { field: 'confirmedAt', headerName: 'Confirmed', width: 170, valueFormatter: (p) => formatUkDateTime(p.value as string | null) },
    {
      field: 'reviewOn',
      headerName: 'Review by',
      width: 130,
      valueFormatter: (p) => formatDay(p.value as string),
      filter: 'agDateColumnFilter',
      filterParams: dayFilterParams,
    },
    {
      field: 'isDueForReview',
      headerName: 'Due',
      width: 120,
      valueFormatter: (p) => (p.value ? 'Review due' : ''),
      filterValueGetter: (p) => (p.data?.isDueForReview ? 'Review due' : ''),
      cellClass: (p) => (p.value ? 'marker-cell marker-overdue-cell' : undefined),
    },
    { field: 'endReason', headerName: 'End reason', width: 200, valueFormatter: (p) => (p.value as string | null) ?? '' },
  ]);
}
