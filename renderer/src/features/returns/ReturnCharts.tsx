/**
 * The return's two charts (Chart.js on canvas: no eval, no injected styles, so it runs under the
 * strict CSP): disruption events per month by level as stacked bars, and networks by band. The
 * figures are the ones main has already put through disclosure control: a withheld figure is
 * drawn as a gap and named in the tooltip and the table ("<5"), never estimated. Each chart has
 * the same figures as a table for anyone who cannot see it. Loaded on demand with the preview.
 */
import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ReturnCharts as Charts } from '../../../../preload/contract/schemas/returns';
import { DISRUPTING_LEVELS as LEVELS, DISRUPTION_LEVEL_LABELS as LEVEL_NAMES } from '../../../../preload/contract/vocabulary';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const LEVEL_COLOURS = { major: '#a4161a', moderate: '#f0a202', minor: '#1d5fa8' } as const;
const BAND_COLOURS: Record<string, string> = { A: '#a4161a', B: '#f0a202', C: '#ffe45c', below_threshold: '#8a96a3' };

function withheldCount(values: { value: number | null }[]): number {
  return values.filter((v) => v.value === null).length;
}

export default function ReturnCharts({ charts }: { charts: Charts }) {
  const perMonth = useRef<HTMLCanvasElement>(null);
  const byBand = useRef<HTMLCanvasElement>(null);
  const months = charts.disruptionsPerMonth;
  const bands = charts.networksByBand;

  useEffect(() => {
    if (!perMonth.current || !byBand.current) return;
    const a = new Chart(perMonth.current, {
      type: 'bar',
      data: {
        labels: months.map((m) => m.label),
        datasets: LEVELS.map((l) => ({
          label: LEVEL_NAMES[l],
          data: months.map((m) => m[l].value),
          backgroundColor: LEVEL_COLOURS[l],
        })),
      },
      options: {
        // No animation: the chart is a record, and motion helps nobody read it.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Disruption events' } },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (item) => {
                const m = months[item.dataIndex];
                const l = LEVELS[item.datasetIndex];
                return m && l ? `${LEVEL_NAMES[l]}: ${m[l].text}` : '';
              },
            },
          },
        },
      },
    });
    const b = new Chart(byBand.current, {
      type: 'bar',
      data: {
        labels: bands.map((x) => x.label),
        datasets: [{ label: 'Networks', data: bands.map((x) => x.value), backgroundColor: bands.map((x) => BAND_COLOURS[x.band] ?? '#8a96a3') }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Networks' } } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => `Networks: ${bands[item.dataIndex]?.text ?? ''}` } },
        },
      },
    });
    return () => {
      a.destroy();
      b.destroy();
    };
  }, [months, bands]);

  const monthWithheld = months.reduce((n, m) => n + withheldCount(LEVELS.map((l) => m[l])), 0);
  const bandWithheld = withheldCount(bands);
  const monthSummary = `Disruption events per month by level: ${months.length} ${months.length === 1 ? 'month' : 'months'}${monthWithheld ? `, ${monthWithheld} figures withheld` : ''}.`;
  const bandSummary = `Networks by band: ${bands.map((x) => `${x.label} ${x.text}`).join(', ')}.`;

  return (
    <div className="return-charts">
      <figure className="return-chart">
        <h3>Disruptions per month, by level</h3>
        <div className="chart-box">
          <canvas ref={perMonth} role="img" aria-label={monthSummary} data-testid="chart-disruptions-per-month" />
        </div>
        {monthWithheld > 0 && <p className="muted">Withheld figures (such as “&lt;5”) are shown as gaps.</p>}
        <details className="history-table">
          <summary>As a table</summary>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Month</th>
                {LEVELS.map((l) => (
                  <th scope="col" className="num" key={l}>
                    {LEVEL_NAMES[l]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.label}</th>
                  {LEVELS.map((l) => (
                    <td className="num" key={l}>
                      {m[l].text}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figure>
      <figure className="return-chart">
        <h3>Networks by band</h3>
        <div className="chart-box">
          <canvas ref={byBand} role="img" aria-label={bandSummary} data-testid="chart-networks-by-band" />
        </div>
        {bandWithheld > 0 && <p className="muted">Withheld figures are shown as gaps.</p>}
        <details className="history-table">
          <summary>As a table</summary>
          <table className="data-table">
            <tbody>
              {bands.map((x) => (
                <tr key={x.band}>
                  <th scope="row">{x.label}</th>
                  <td className="num">{x.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figure>
    </div>
  );
}
