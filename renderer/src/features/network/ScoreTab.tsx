/**
 * The score taken apart (domain.md "Harm scoring", item 7): each offence's w, s, d and
 * contribution or the reason it does not count; each assessed rating with its counted value and
 * support; capability; confidence with its reason; the gates; the override; the model and weight
 * table. All of it is main's stored explanation, shown as it is: nothing is recomputed here.
 */
import { lazy, Suspense } from 'react';
import { formatDay } from '../../components/dates';
import { BAND_LABELS, GATE_LABELS, OVERRIDE_EXPLANATION_LABELS, stageLabel, WEAPON_LABELS, type Band } from '../../components/labels';
import { fixed } from '../../components/numbers';
import { explanationOf, type CardContext } from './card';

// Chart.js is only needed here: loaded when the score tab first shows a history.
const HistoryChart = lazy(() => import('./HistoryChart'));

const band = (b: string) => BAND_LABELS[b as Band] ?? b;

export function ScoreTab({ card, reference }: CardContext) {
  const x = explanationOf(card);
  if (!x) return <p className="muted">This network has not been scored yet.</p>;
  const offenceById = new Map(card.offences.map((o) => [o.id, o]));
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
          <div className="table-scroll">
            <table className="data-table" aria-labelledby="breakdown-offences-heading">
              <thead>
                <tr>
                  <th scope="col">Crime reference</th>
                  <th scope="col">Category</th>
                  <th scope="col">Date</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Weapon</th>
                  <th scope="col" className="num">
                    w
                  </th>
                  <th scope="col" className="num">
                    s
                  </th>
                  <th scope="col" className="num">
                    d
                  </th>
                  <th scope="col" className="num">
                    Contribution
                  </th>
                  <th scope="col">Counted?</th>
                </tr>
              </thead>
              <tbody>
                {x.offences.map((o, i) => (
                  <tr key={`${o.id}-${i}`} className={o.isIncluded ? undefined : 'excluded'}>
                    <th scope="row">{offenceById.get(o.id)?.crimeReference ?? o.id}</th>
                    <td>{reference.categoryLabel(o.category)}</td>
                    <td>{formatDay(o.date)}</td>
                    <td>{stageLabel(o.stage)}</td>
                    <td>{WEAPON_LABELS[o.weapon] ?? o.weapon}</td>
                    <td className="num">{fixed(o.w, 2)}</td>
                    <td className="num">{fixed(o.s, 1)}</td>
                    <td className="num">{o.d === null ? '—' : fixed(o.d, 3)}</td>
                    <td className="num">{fixed(o.contribution, 2)}</td>
                    <td>{o.isIncluded ? 'Counted' : `Not counted: ${o.reason}`}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={8}>
                    Evidenced harm (EH)
                  </th>
                  <td className="num" data-testid="eh-total">
                    {fixed(p.eh, 2)}
                  </td>
                  <td className="nowrap">harm-days</td>
                </tr>
              </tfoot>
            </table>
          </div>
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
