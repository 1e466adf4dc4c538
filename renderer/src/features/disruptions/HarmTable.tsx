/**
 * "Harm before and after": for each of the claim's networks, main's undecayed Σ w × s in the six
 * months either side of the activity (main/domain/disruption-harm.ts), pending until the six
 * months after have passed.
 */
import { formatDay } from '../../components/dates';
import { fixed } from '../../components/numbers';
import type { Detail } from './claim';

export function HarmTable({ harm, networkLabel }: { harm: Detail['harm']; networkLabel: (id: string) => string }) {
  return (
    <section className="section" aria-labelledby="claim-harm-heading">
      <h2 id="claim-harm-heading">Harm before and after</h2>
      <p className="muted">
        Undecayed Σ w × s of each network’s confirmed offences in the six months before the activity began and the six months after it
        ended, in harm-days.
      </p>
      <div className="table-scroll">
        <table className="data-table" aria-label="Harm before and after">
          <thead>
            <tr>
              <th scope="col">Network</th>
              <th scope="col">Six months before</th>
              <th scope="col" className="num">
                Harm before
              </th>
              <th scope="col">Six months after</th>
              <th scope="col" className="num">
                Harm after
              </th>
              <th scope="col" className="num">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {harm.map((h) => (
              <tr key={h.networkId}>
                <th scope="row">{networkLabel(h.networkId)}</th>
                <td className="nowrap">
                  {formatDay(h.windowBefore.from)} to {formatDay(dayBefore(h.windowBefore.to))}
                </td>
                <td className="num">{fixed(h.before, 2)}</td>
                <td className="nowrap">
                  {formatDay(dayAfter(h.windowAfter.from))} to {formatDay(h.windowAfter.to)}
                </td>
                <td className="num" data-testid="harm-after">
                  {h.isPending || h.after === null ? <span className="pending">Pending until {formatDay(h.windowAfter.to)}</span> : fixed(h.after, 2)}
                </td>
                <td className="num">{h.isPending || h.after === null ? '—' : changeText(h.before, h.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The windows main reports are half-open ([from, to) before, (from, to] after); shown as whole days. */
function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function changeText(before: number, after: number): string {
  const diff = after - before;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '';
  const pct = before > 0 ? ` (${sign}${fixed(Math.abs(diff / before) * 100, 0)}%)` : '';
  return `${sign}${fixed(Math.abs(diff), 2)}${pct}`;
}
