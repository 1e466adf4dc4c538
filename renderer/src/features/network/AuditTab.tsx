/**
 * This network's audit trail: every entry main wrote against the network's id (created, edited,
 * intelligence held against it, ratings, consultations). Opening the card is itself a
 * consultation, so those entries can be hidden from view here to find the changes; nothing is
 * removed from the log.
 */
import { useMemo, useState } from 'react';
import { DataGrid } from '../../app/grid';
import { auditColumns } from '../audit/audit.columns';
import type { CardContext } from './card';

export function AuditTab({ card, stateOwner }: CardContext & { stateOwner: string }) {
  const [find, setFind] = useState('');
  const [isHidingConsults, setHidingConsults] = useState(false);
  const rows = useMemo(() => (isHidingConsults ? card.audit.filter((a) => a.action !== 'consult') : card.audit), [card.audit, isHidingConsults]);
  return (
    <>
      <div className="toolbar">
        <div className="field quick-filter inline">
          <label htmlFor="network-audit-find">Find in the audit trail</label>
          <input id="network-audit-find" type="search" value={find} onChange={(e) => setFind(e.target.value)} autoComplete="off" />
        </div>
        <div className="checkbox">
          <input id="network-audit-hide-consults" type="checkbox" checked={isHidingConsults} onChange={(e) => setHidingConsults(e.target.checked)} />
          <label htmlFor="network-audit-hide-consults">Hide consultations (card opened)</label>
        </div>
        <span className="muted">
          {rows.length} of {card.audit.length} {card.audit.length === 1 ? 'entry' : 'entries'}, newest first.
        </span>
      </div>
      <DataGrid
        gridId="network-audit"
        stateOwner={stateOwner}
        label="Audit trail for this network"
        emptyText="No audit entries."
        rows={rows}
        columns={auditColumns}
        getRowId={(p) => String(p.data.seq)}
        quickFilterText={find}
      />
    </>
  );
}
