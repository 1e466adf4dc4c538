/** "Audit trail": the claim's own entries, newest first; consultations hidden unless asked for. */
import { useState } from 'react';
import type { AuditRow } from '../../../../preload/contract';
import { DataGrid } from '../../app/grid';
import { auditColumns } from '../audit/audit.columns';

export function ClaimAuditTrail({ entries, stateOwner }: { entries: AuditRow[]; stateOwner: string }) {
  const [isHidingConsults, setHidingConsults] = useState(true);
  const audit = isHidingConsults ? entries.filter((a) => a.action !== 'consult') : entries;
  return (
    <section className="section" aria-labelledby="claim-audit-heading">
      <h2 id="claim-audit-heading">Audit trail</h2>
      <div className="toolbar">
        <div className="checkbox">
          <input id="disruption-audit-hide-consults" type="checkbox" checked={isHidingConsults} onChange={(e) => setHidingConsults(e.target.checked)} />
          <label htmlFor="disruption-audit-hide-consults">Hide consultations (claim opened)</label>
        </div>
        <span className="muted">
          {audit.length} of {entries.length} {entries.length === 1 ? 'entry' : 'entries'}, newest first.
        </span>
      </div>
      <DataGrid
        gridId="disruption-audit"
        stateOwner={stateOwner}
        label="Audit trail for this claim"
        emptyText="No audit entries."
        rows={audit}
        columns={auditColumns}
        getRowId={(p) => String(p.data.seq)}
        isCompact
      />
    </section>
  );
}
