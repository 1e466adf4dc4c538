/** Column definitions for the grids on the network card; formatters are functions. */
import { ownFormatting } from '../../components/columns';
import type { ColDef } from 'ag-grid-community';
import { formatUkDateTime } from '../../app/format';
import { formatDay } from '../../components/dates';
import {
  BASIS_LABELS,
  FLAG_CRITERIA_LABELS,
  FLAG_STATUS_LABELS,
  gradeText,
  LINK_STATUS_LABELS,
  memberRoleLabel,
  stageLabel,
  WEAPON_LABELS,
  type Weapon,
} from '../../components/labels';
import type { ReferenceLookup } from '../../components/reference';
import { dayFilterParams } from '../matrix/matrix.columns';
import type { CardOffence, Flag, Intelligence, Member } from './card';

const day = (field: string, headerName: string, width = 120) => ({
  field,
  headerName,
  width,
  valueFormatter: (p: { value: unknown }) => formatDay(p.value as string | null),
  filter: 'agDateColumnFilter',
  filterParams: dayFilterParams,
});

export const memberColumns: ColDef<Member>[] = ownFormatting([
  { field: 'personReference', headerName: 'Person', width: 140 },
  { field: 'personName', headerName: 'Name', flex: 1, minWidth: 160 },
  { colId: 'role', headerName: 'Role', width: 150, valueGetter: (p) => (p.data ? memberRoleLabel(p.data.role) : '') },
  {
    field: 'isUnder18',
    headerName: 'Under 18',
    width: 110,
    valueFormatter: (p) => (p.value ? 'Under 18' : ''),
    filterValueGetter: (p) => (p.data?.isUnder18 ? 'Under 18' : ''),
    cellClass: (p) => (p.value ? 'marker-cell marker-u18-cell' : undefined),
  },
  { colId: 'basis', headerName: 'Basis', width: 200, valueGetter: (p) => (p.data ? (BASIS_LABELS[p.data.basis] ?? p.data.basis) : '') },
  { colId: 'status', headerName: 'Status', width: 110, valueGetter: (p) => (p.data ? (LINK_STATUS_LABELS[p.data.status] ?? p.data.status) : '') },
  day('startDate', 'Start') as ColDef<Member>,
  day('reviewOn', 'Review by') as ColDef<Member>,
  {
    field: 'isOverdue',
    headerName: 'Overdue',
    width: 110,
    valueFormatter: (p) => (p.value ? 'Overdue' : ''),
    filterValueGetter: (p) => (p.data?.isOverdue ? 'Overdue' : ''),
    cellClass: (p) => (p.value ? 'marker-cell marker-overdue-cell' : undefined),
  },
]);

export function offenceColumns(ref: ReferenceLookup): ColDef<CardOffence>[] {
  return ownFormatting([
    { field: 'crimeReference', headerName: 'Crime reference', width: 150, pinned: 'left' },
    { colId: 'category', headerName: 'Category', width: 190, valueGetter: (p) => (p.data ? ref.categoryLabel(p.data.category) : '') },
    { ...(day('offenceDate', 'Date') as ColDef<CardOffence>), sort: 'desc' },
    { colId: 'borough', headerName: 'Borough', width: 160, valueGetter: (p) => (p.data ? ref.boroughName(p.data.borough) : '') },
    { colId: 'stage', headerName: 'Stage', width: 160, valueGetter: (p) => (p.data ? stageLabel(p.data.stage) : '') },
    { colId: 'weapon', headerName: 'Weapon', width: 150, valueGetter: (p) => (p.data ? (WEAPON_LABELS[p.data.weapon as Weapon] ?? p.data.weapon) : '') },
    { field: 'isVictimUnder20', headerName: 'Victim under 20', width: 140, valueFormatter: (p) => (p.value ? 'Yes' : 'No') },
    { colId: 'linkStatus', headerName: 'Link', width: 110, valueGetter: (p) => (p.data ? (LINK_STATUS_LABELS[p.data.linkStatus] ?? p.data.linkStatus) : '') },
    { field: 'rationale', headerName: 'Rationale', flex: 1, minWidth: 200, wrapText: true, autoHeight: true },
  ]);
}

export const intelligenceColumns: ColDef<Intelligence>[] = ownFormatting([
  { field: 'reference', headerName: 'Reference', width: 140 },
  { ...(day('itemDate', 'Date') as ColDef<Intelligence>), sort: 'desc' },
  { colId: 'grade', headerName: 'Grade', width: 130, valueGetter: (p) => (p.data ? gradeText(p.data) : '') },
  { field: 'sourceRef', headerName: 'Source', width: 160 },
  { field: 'summary', headerName: 'Summary', flex: 1, minWidth: 240, wrapText: true, autoHeight: true },
]);

export function flagColumns(subjectLabel: (f: Flag) => string): ColDef<Flag>[] {
  return ownFormatting([
    { colId: 'subject', headerName: 'Subject', flex: 1, minWidth: 200, valueGetter: (p) => (p.data ? subjectLabel(p.data) : '') },
    { colId: 'subjectType', headerName: 'On', width: 100, valueGetter: (p) => (p.data ? (p.data.subjectType === 'person' ? 'Person' : 'Offence') : '') },
    { colId: 'status', headerName: 'Status', width: 120, valueGetter: (p) => (p.data ? (FLAG_STATUS_LABELS[p.data.status] ?? p.data.status) : '') },
    { colId: 'criteria', headerName: 'Criteria', width: 220, valueGetter: (p) => (p.data ? (FLAG_CRITERIA_LABELS[p.data.criteria] ?? p.data.criteria) : '') },
    { field: 'proposedAt', headerName: 'Proposed', width: 170, valueFormatter: (p) => formatUkDateTime(p.value as string) },
    day('reviewOn', 'Review by') as ColDef<Flag>,
  ]);
}
