/**
 * This network's audit trail: the entries main wrote against the network's id (created, edited,
 * intelligence held against it, ratings, consultations), as far as the signed-in role may see
 * them. Main filters the trail (preload/contract/consultations.ts): supervisors and administrators
 * see every entry, consultations and their reasons included; analysts see the changes, not who
 * opened the record; validators and read-only users see none. Opening the card is itself a
 * consultation, so those who see consultations can hide them here to find the changes; nothing
 * is removed from the log.
 */
import { useMemo, useState } from 'react';
import type { ColDef } from 'ag-grid-community';
import type { AuditRow } from '../../../../preload/contract';
import { cardAuditActions, seesConsultations } from '../../../../preload/contract/consultations';
import { DataGrid } from '../../app/grid';
import { auditColumns } from '../audit/audit.columns';
import type { CardContext } from './card';

/** The reason given for opening a restricted record: only oversight is shown consultations at all. */
const withReasons: ColDef<AuditRow>[] = [
  ...auditColumns,
  { field: 'justification', headerName: 'Reason', width: 260, wrapText: true, autoHeight: true, valueFormatter: (p) => (p.value as string | null) ?? '' },
];

export function AuditTab({ card, me, stateOwner }: CardContext & { stateOwner: string }) {
  const [find, setFind] = useState('');
  const [isHidingConsults, setHidingConsults] = useState(false);
  const isShownConsults = seesConsultations(me.role);
  const actions = cardAuditActions(me.role);
  const rows = useMemo(() => (isHidingConsults ? card.audit.filter((a) => a.action !== 'consult') : card.audit), [card.audit, isHidingConsults]);
  if (actions !== 'all' && actions.length === 0) {
    return <p className="muted">A record's audit trail is shown to analysts, supervisors and administrators.</p>;
  }
  return (
    <>
      <div className="toolbar">
        <div className="field quick-filter inline">
          <label htmlFor="network-audit-find">Find in the audit trail</label>
          <input id="network-audit-find" type="search" value={find} onChange={(e) => setFind(e.target.value)} autoComplete="off" />
        </div>
        {isShownConsults && (
          <div className="checkbox">
            <input id="network-audit-hide-consults" type="checkbox" checked={isHidingConsults} onChange={(e) => setHidingConsults(e.target.checked)} />
            <label htmlFor="network-audit-hide-consults">Hide consultations (card opened)</label>
          </div>
        )}
        <span className="muted">
          {rows.length} of {card.audit.length} {card.audit.length === 1 ? 'entry' : 'entries'}, newest first.
        </span>
      </div>
      {!isShownConsults && <p className="muted">Changes to this record are shown; who opened it, and why, is shown to supervisors and administrators.</p>}
      <DataGrid
        gridId="network-audit"
        stateOwner={stateOwner}
        label="Audit trail for this network"
        emptyText="No audit entries."
        rows={rows}
        columns={isShownConsults ? withReasons : auditColumns}
        getRowId={(p) => String(p.data.seq)}
        quickFilterText={find}
      />
    </>
  );
}
