/** Column definitions for the People grid and a person's links; formatters are functions. */
import { ownFormatting } from '../../components/columns';
import type { ColDef } from 'ag-grid-community';
import type { Output } from '../../../../preload/contract';
import { ageOn, formatDay, todayIso } from '../../components/dates';
import { FLAG_STATUS_LABELS, SEX_LABELS } from '../../components/labels';
import { dayFilterParams } from '../matrix/matrix.columns';

export type PersonRow = Output<'people:list'>[number];

export function peopleColumns(): ColDef<PersonRow>[] {
  const today = todayIso();
  return ownFormatting([
    { field: 'reference', headerName: 'Reference', width: 150, pinned: 'left', sort: 'asc' },
    { field: 'name', headerName: 'Name', flex: 1, minWidth: 180 },
    {
      field: 'dateOfBirth',
      headerName: 'Date of birth',
      width: 140,
      valueFormatter: (p) => formatDay(p.value as string | null) || 'Not known',
      filter: 'agDateColumnFilter',
      filterParams: dayFilterParams,
      getQuickFilterText: (p) => formatDay(p.value as string | null),
    },
    {
      colId: 'age',
      headerName: 'Age',
      width: 90,
      type: 'numericColumn',
      filter: 'agNumberColumnFilter',
      valueGetter: (p) => (p.data ? ageOn(p.data.dateOfBirth, today) : null),
      valueFormatter: (p) => (p.value === null || p.value === undefined ? '' : String(p.value)),
    },
    {
      field: 'isUnder18',
      headerName: 'Under 18',
      width: 110,
      valueFormatter: (p) => (p.value ? 'Under 18' : ''),
      filterValueGetter: (p) => (p.data?.isUnder18 ? 'Under 18' : ''),
      getQuickFilterText: (p) => (p.value ? 'under 18' : ''),
      cellClass: (p) => (p.value ? 'marker-cell marker-u18-cell' : undefined),
    },
    { colId: 'sex', headerName: 'Sex', width: 110, valueGetter: (p) => (p.data ? (SEX_LABELS[p.data.sex as keyof typeof SEX_LABELS] ?? p.data.sex) : '') },
    { field: 'linkCount', headerName: 'Current links', width: 130, type: 'numericColumn', filter: 'agNumberColumnFilter' },
    {
      colId: 'flag',
      headerName: 'Gang flag',
      width: 130,
      valueGetter: (p) => (p.data?.flagStatus ? (FLAG_STATUS_LABELS[p.data.flagStatus] ?? p.data.flagStatus) : ''),
    },
  ]);
}
