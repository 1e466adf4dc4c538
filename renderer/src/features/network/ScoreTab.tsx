/**
 * The score taken apart (docs/specification.md, "Harm scoring", item 7): each offence's w, s, d and
 * contribution or the reason it does not count; each assessed rating with its counted value and
 * support; capability; confidence with its reason; the gates; the override; the model and weight
 * table. All of it is main's stored explanation, shown as it is: nothing is recomputed here.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import type { ColDef } from 'ag-grid-community';
import { DataGrid } from '../../app/grid';
import { ownFormatting } from '../../components/columns';
import type { ReferenceLookup } from '../../components/reference';
import { formatDay } from '../../components/dates';
import { BAND_LABELS, GATE_LABELS, OVERRIDE_EXPLANATION_LABELS, stageLabel, WEAPON_LABELS, type Band } from '../../components/labels';
import { fixed } from '../../components/numbers';
import { fitsWithoutScrolling, type Card, type CardContext, type Explanation } from './card';
import { dayFilterParams } from '../matrix/matrix.columns';

// Chart.js is only needed here: loaded when the score tab first shows a history.
const HistoryChart = lazy(() => import('./HistoryChart'));

const band = (b: string) => BAND_LABELS[b as Band] ?? b;

export function ScoreTab({ card, reference, stateOwner }: CardContext & { stateOwner: string }) {
  const x = card.explanation;
  if (!x) return <p className="muted">This network has not been scored yet.</p>;
  const intelById = new Map(card.intelligence.map((i) => [i.id, i]));
  const p = x.parts;
  const counted = x.offences.filter((o) => o.isIncluded).length;

  return (
    <div className="score-tab">
      <section aria-labelledby="score-parts-heading" className="score-summary">
        <h2 id="score-parts-heading">How the score is made</h2>
        <table className="data-table parts" aria-labelledby="score-parts-heading">
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col">Working</th>
              <th scope="col" className="num">
                Points
              </th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Evidenced harm</th>
              <td>
                Σ w × s × d = {fixed(p.eh, 2)} harm-days from {counted} {counted === 1 ? 'offence' : 'offences'}; 12 × log10(1 + EH), at most 60
              </td>
              <td className="num" data-testid="eh-pts">
                {fixed(p.ehPts, 2)}
              </td>
            </tr>
            <tr>
              <th scope="row">Assessed harm</th>
              <td>1.25 × {p.ah} (the five ratings as counted)</td>
              <td className="num" data-testid="ah-pts">
                {fixed(p.ahPts, 2)}
              </td>
            </tr>
            <tr>
              <th scope="row">Capability</th>
              <td>Sum of the five ratings</td>
              <td className="num" data-testid="cap-pts">
                {fixed(p.capPts, 2)}
              </td>
            </tr>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Score</th>
              <td>
                {band(p.scoreBand)} by score; {band(p.band)} after the gates; {band(p.effectiveBand)} in use
              </td>
              <td className="num" data-testid="score-total">
                {fixed(p.score, 1)}
              </td>
            </tr>
          </tfoot>
        </table>
        <dl className="facts score-facts">
          <dt>Confidence</dt>
          <dd data-testid="confidence-reason">
            {x.confidence.reason}
          </dd>
          <dt>Override</dt>
          <dd>
            {OVERRIDE_EXPLANATION_LABELS[x.override.status] ?? x.override.status}
            {x.override.band ? ` (${band(x.override.band)})` : ''}
            {x.override.reasons.length ? `: ${x.override.reasons.join(' ')}` : ''}
          </dd>
          <dt>Model</dt>
          <dd>
            {x.model}, weight table {x.weightTable.id} version {x.weightTable.version}, scored as of {formatDay(x.asOf)}; offences count after{' '}
            {formatDay(x.window.startsAfter)}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="history-heading" className="history">
        <h2 id="history-heading">Score history</h2>
        {card.history.length === 0 ? (
          <p className="muted">No history yet.</p>
        ) : (
          <Suspense fallback={<p aria-busy="true">Loading the chart…</p>}>
            <HistoryChart history={card.history} />
          </Suspense>
        )}
      </section>

      <section aria-labelledby="breakdown-offences-heading">
        <h2 id="breakdown-offences-heading">Offences in the score</h2>
        {x.offences.length === 0 ? (
          <p className="muted">No confirmed offence links yet: evidenced harm is 0.</p>
        ) : (
          <OffenceBreakdown explanation={x} card={card} reference={reference} stateOwner={stateOwner} />
        )}
      </section>

      <div className="two-tables">
        <section aria-labelledby="breakdown-assessed-heading">
          <h2 id="breakdown-assessed-heading">Assessed harm</h2>
          <table className="data-table" aria-labelledby="breakdown-assessed-heading">
            <thead>
              <tr>
                <th scope="col">Rating</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  Counted
                </th>
                <th scope="col">Support</th>
              </tr>
            </thead>
            <tbody>
              {x.assessed.map((r) => (
                <tr key={r.dimension} className={r.isFlaggedUnsupported ? 'flagged' : undefined}>
                  <th scope="row">{r.label}</th>
                  <td className="num">{r.value}</td>
                  <td className="num">{r.countedValue}</td>
                  <td>
                    {r.isFlaggedUnsupported && <span className="marker marker-unsupported">Unsupported</span>}{' '}
                    {r.supportingItems.length
                      ? r.supportingItems
                          .map((s) => `${intelById.get(s.id)?.reference ?? s.id} (${s.source}/${s.intelligence}${s.isQualifying ? '' : ', does not qualify'})`)
                          .join(', ')
                      : r.needsSupport
                        ? 'No supporting intelligence'
                        : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="breakdown-capability-heading">
          <h2 id="breakdown-capability-heading">Capability</h2>
          <table className="data-table" aria-labelledby="breakdown-capability-heading">
            <thead>
              <tr>
                <th scope="col">Rating</th>
                <th scope="col" className="num">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {x.capability.map((r) => (
                <tr key={r.dimension}>
                  <th scope="row">{r.label}</th>
                  <td className="num">{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section aria-labelledby="breakdown-gates-heading">
        <h2 id="breakdown-gates-heading">Gates</h2>
        <table className="data-table" aria-labelledby="breakdown-gates-heading">
          <thead>
            <tr>
              <th scope="col">Gate</th>
              <th scope="col">Applied?</th>
              <th scope="col">Band</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {x.gates.map((g) => (
              <tr key={g.gate}>
                <th scope="row">{GATE_LABELS[g.gate] ?? g.gate}</th>
                <td>{g.isTriggered ? (g.hasChangedBand ? 'Yes: changed the band' : 'Yes: no change') : 'No'}</td>
                <td className="nowrap">{g.hasChangedBand ? `${band(g.bandBefore)} → ${band(g.bandAfter)}` : band(g.bandAfter)}</td>
                <td>{g.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

type OffenceLine = Explanation['offences'][number] & { line: number; crimeReference: string; categoryLabel: string; countedText: string };

/**
 * Each offence's w, s, d and contribution, largest first, in a grid: a network can have hundreds
 * of linked offences, most of them outside the window. Those not counted are listed on request,
 * each with the reason.
 */
function OffenceBreakdown({ explanation, card, reference, stateOwner }: { explanation: Explanation; card: Card; reference: ReferenceLookup; stateOwner: string }) {
  const [isShowingAll, setShowingAll] = useState(false);
  const lines = useMemo<OffenceLine[]>(() => {
    const crimeRefs = new Map(card.offences.map((o) => [o.id, o.crimeReference]));
    return explanation.offences.map((o, line) => ({
      ...o,
      line,
      crimeReference: crimeRefs.get(o.id) ?? o.id,
      categoryLabel: reference.categoryLabel(o.category),
      countedText: o.isIncluded ? 'Counted' : `Not counted: ${o.reason}`,
    }));
  }, [explanation, card.offences, reference]);
  const notCounted = lines.filter((l) => !l.isIncluded).length;
  const rows = useMemo(() => (isShowingAll ? lines : lines.filter((l) => l.isIncluded)), [lines, isShowingAll]);
  const columns = useMemo<ColDef<OffenceLine>[]>(
    () =>
      ownFormatting<OffenceLine>([
        { field: 'crimeReference', headerName: 'Crime reference', width: 145, pinned: 'left' },
        { field: 'categoryLabel', headerName: 'Category', width: 165 },
        { field: 'date', headerName: 'Date', width: 110, valueFormatter: (p) => formatDay(p.value as string), filter: 'agDateColumnFilter', filterParams: dayFilterParams },
        { colId: 'stage', headerName: 'Stage', width: 140, valueGetter: (p) => (p.data ? stageLabel(p.data.stage) : '') },
        { colId: 'weapon', headerName: 'Weapon', width: 115, valueGetter: (p) => (p.data ? (WEAPON_LABELS[p.data.weapon] ?? p.data.weapon) : '') },
        { field: 'w', headerName: 'w', width: 100, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: (p) => fixed(p.value as number, 2) },
        { field: 's', headerName: 's', width: 70, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: (p) => fixed(p.value as number, 1) },
        {
          field: 'd',
          headerName: 'd',
          width: 85,
          type: 'numericColumn',
          filter: 'agNumberColumnFilter',
          valueFormatter: (p) => ((p.value as number | null) === null ? '—' : fixed(p.value as number, 3)),
        },
        {
          field: 'contribution',
          headerName: 'Contribution',
          width: 130,
          type: 'numericColumn',
          filter: 'agNumberColumnFilter',
          sort: 'desc',
          valueFormatter: (p) => fixed(p.value as number, 2),
        },
        { field: 'countedText', headerName: 'Counted?', flex: 1, minWidth: 180, wrapText: true, autoHeight: true },
      ]),
    [],
  );
  return (
    <>
      <div className="toolbar">
        <span className="muted">
          {lines.length - notCounted} counted, {notCounted} not counted. EH = Σ w × s × d = {fixed(explanation.parts.eh, 2)} harm-days.
        </span>
        {notCounted > 0 && (
          <div className="checkbox">
            <input id="breakdown-show-all" type="checkbox" checked={isShowingAll} onChange={(e) => setShowingAll(e.target.checked)} />
            <label htmlFor="breakdown-show-all">Also show the {notCounted} not counted, with the reason</label>
          </div>
        )}
      </div>
      <DataGrid<OffenceLine>
        gridId="network-breakdown"
        stateOwner={stateOwner}
        label="Offences in the score"
        emptyText="No offence counts towards evidenced harm."
        rows={rows}
        columns={columns}
        getRowId={(p) => String(p.data.line)}
        isCompact={fitsWithoutScrolling(rows)}
        getRowClass={(p) => (p.data && !p.data.isIncluded ? 'row-ended' : undefined)}
      />
      <p className="muted">
        Evidenced harm (EH): <strong data-testid="eh-total">{fixed(explanation.parts.eh, 2)}</strong> harm-days.
      </p>
    </>
  );
}
