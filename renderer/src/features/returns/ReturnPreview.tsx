/**
 * A previewed return exactly as main publishes it: its header, the charts, and each section's
 * tables, withheld figures keeping their text ("<5") and a marker class. Nothing here counts or
 * suppresses anything.
 */
import { lazy, Suspense, type RefObject } from 'react';
import type { ExportResult, ReportTable, ReturnDocument } from '../../../../preload/contract/schemas/returns';
import { formatBytes, formatUkDateTime } from '../../app/format';
import { formatDay } from '../../components/dates';

// Chart.js is only needed for a preview: loaded when the first one is shown.
const ReturnCharts = lazy(() => import('./ReturnCharts'));

export function ReturnPreview(props: {
  document: ReturnDocument;
  /** Whether the signed-in role may save this kind of return. */
  canSave: boolean;
  saved: ExportResult | null;
  onSave: () => void;
  /** Focused when a preview arrives, to take the reader (and the keyboard) to it. */
  focusRef: RefObject<HTMLElement | null>;
}) {
  const { document } = props;
  return (
    <section className="return-preview" ref={props.focusRef} tabIndex={-1} aria-labelledby="return-preview-heading">
      <div className="toolbar">
        <h2 id="return-preview-heading">{document.header.title}</h2>
        {props.canSave && (
          <button type="button" className="primary toolbar-end" onClick={props.onSave}>
            Save…
          </button>
        )}
      </div>
      <ReturnHeaderFacts document={document} />
      {props.saved && <SavedFile result={props.saved} />}
      <Suspense fallback={<p aria-busy="true">Loading the charts…</p>}>
        <ReturnCharts charts={document.charts} />
      </Suspense>
      {document.sections.map((s) => (
        <section key={s.id} className="section return-section" aria-labelledby={`return-section-${s.id}`}>
          <h2 id={`return-section-${s.id}`}>{s.title}</h2>
          {s.notes.map((n, i) => (
            <p key={i} className="muted">
              {n}
            </p>
          ))}
          <div className="return-tables">
            {s.tables.map((t) => (
              <ReturnTable key={t.id} table={t} />
            ))}
          </div>
        </section>
      ))}
    </section>
  );
}

function ReturnHeaderFacts({ document }: { document: ReturnDocument }) {
  const h = document.header;
  return (
    <dl className="return-header" aria-label="Return header">
      <dt>{h.kind === 'corporate' ? 'Period' : 'As of'}</dt>
      <dd data-testid="return-period">{h.kind === 'corporate' ? `${h.periodLabel ?? h.periodId ?? ''} (${formatDay(h.periodFrom)} to ${formatDay(h.periodTo)})` : formatDay(h.asOf)}</dd>
      <dt>Marking</dt>
      <dd>{h.marking}</dd>
      <dt>Disclosure rules</dt>
      <dd data-testid="return-rules">
        {h.ruleSet.id}: {h.ruleSet.description}
      </dd>
      <dt>{h.kind === 'corporate' ? 'Counting rules' : 'Previous meeting'}</dt>
      <dd>{h.kind === 'corporate' ? (h.countingRules ? `${h.countingRules.id}: ${h.countingRules.description}` : '—') : h.previousMeeting ? formatDay(h.previousMeeting) : 'None held before'}</dd>
      <dt>Model and weights</dt>
      <dd>
        {h.model}, {h.weightTable.id} {h.weightTable.version}
      </dd>
      <dt>Prepared</dt>
      <dd>
        {formatUkDateTime(h.generatedAt)} by {h.generatedBy} (a preview, not a numbered copy)
      </dd>
    </dl>
  );
}

/** A published table as main laid it out; withheld figures keep their text ("<5") and a marker class. */
function ReturnTable({ table }: { table: ReportTable }) {
  const numeric = new Set(['count', 'money', 'amount', 'percent', 'score']);
  return (
    <div className="return-table">
      <h3 id={`return-table-${table.id}`}>{table.title}</h3>
      {table.notes.map((n, i) => (
        <p key={i} className="muted">
          {n}
        </p>
      ))}
      {table.rows.length === 0 ? (
        <p className="muted">{table.emptyText}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-labelledby={`return-table-${table.id}`} data-table-id={table.id}>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th scope="col" key={c.key} className={numeric.has(c.kind) ? 'num' : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i} className={r.isTotal ? 'total-row' : undefined}>
                  {r.cells.map((cell, j) => {
                    const col = table.columns[j];
                    const className = [col && numeric.has(col.kind) ? 'num' : '', cell.isSuppressed ? 'suppressed' : ''].filter(Boolean).join(' ') || undefined;
                    return j === 0 ? (
                      <th scope="row" key={j} className={className}>
                        {cell.text}
                      </th>
                    ) : (
                      <td key={j} className={className} title={cell.isSuppressed ? 'Withheld by disclosure control' : undefined}>
                        {cell.text}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function SavedFile({ result }: { result: ExportResult }) {
  return (
    <div className="saved-file" role="status" data-testid="saved-file">
      <p>
        <strong>Saved copy {result.copyNumber}</strong> ({result.format.toUpperCase()}, {formatBytes(result.bytes)}) to <span className="path">{result.path}</span>
      </p>
      <p>
        SHA-256: <span className="hash" data-testid="saved-sha256">{result.sha256}</span>
      </p>
      <p data-testid="saved-destroy-after">Destroy after: {formatDay(result.destroyAfter)}</p>
    </div>
  );
}
