/**
 * The score history as a line chart (Chart.js, canvas: no eval, no injected styles, so it runs
 * under the strict CSP), with the band thresholds drawn across it, and the same figures as a table
 * for anyone who cannot see the chart. Only the Chart.js parts used here are registered, and this
 * module is loaded on demand, so the rest of the app does not carry Chart.js.
 */
import { useEffect, useRef } from 'react';
import { CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip, type Plugin } from 'chart.js';
import type { Card } from './card';
import { formatUkDateTime } from '../../app/format';
import { formatDay } from '../../components/dates';
import { BAND_LABELS, CONFIDENCE_LABELS, type Band } from '../../components/labels';
import { fixed } from '../../components/numbers';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip);

const THRESHOLDS: { value: number; label: string }[] = [
  { value: 60, label: 'A' },
  { value: 40, label: 'B' },
  { value: 20, label: 'C' },
];

/** Dashed lines at the band thresholds, labelled at the right-hand edge. */
const bandLines: Plugin<'line'> = {
  id: 'hmBandLines',
  beforeDatasetsDraw(chart) {
    const { ctx, chartArea, scales } = chart;
    const y = scales.y;
    if (!y) return;
    ctx.save();
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#8a96a3';
    ctx.fillStyle = '#56606b';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'right';
    for (const t of THRESHOLDS) {
      const py = y.getPixelForValue(t.value);
      ctx.beginPath();
      ctx.moveTo(chartArea.left, py);
      ctx.lineTo(chartArea.right, py);
      ctx.stroke();
      ctx.fillText(`Band ${t.label}`, chartArea.right - 4, py - 4);
    }
    ctx.restore();
  },
};

export default function HistoryChart({ history }: { history: Card['history'] }) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: history.map((h) => formatUkDateTime(h.computedAt)),
        datasets: [
          {
            label: 'Score',
            data: history.map((h) => h.score),
            borderColor: '#1d5fa8',
            backgroundColor: '#1d5fa8',
            pointRadius: 4,
            stepped: false,
            tension: 0,
          },
        ],
      },
      options: {
        // No animation: the chart is a record, and motion helps nobody read it.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: { min: 0, max: 100, title: { display: true, text: 'Score' } },
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) => {
                const h = history[item.dataIndex];
                return h ? `Score ${fixed(h.score, 1)}, ${BAND_LABELS[h.effectiveBand as Band] ?? h.effectiveBand}` : '';
              },
            },
          },
        },
      },
      plugins: [bandLines],
    });
    return () => chart.destroy();
  }, [history]);

  const last = history[history.length - 1];
  const summary = last
    ? `Score history: ${history.length} ${history.length === 1 ? 'change' : 'changes'}, latest ${fixed(last.score, 1)} (${BAND_LABELS[last.effectiveBand as Band] ?? last.effectiveBand}).`
    : 'No score history.';

  return (
    <>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={summary} data-testid="history-chart" />
      </div>
      <details className="history-table">
        <summary>Score history as a table</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Rescored</th>
              <th scope="col">As of</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col">Band</th>
              <th scope="col">Confidence</th>
              <th scope="col">Weights</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h, i) => (
              <tr key={i}>
                <td>{formatUkDateTime(h.computedAt)}</td>
                <td>{formatDay(h.asOf)}</td>
                <td className="num">{fixed(h.score, 1)}</td>
                <td>{BAND_LABELS[h.effectiveBand as Band] ?? h.effectiveBand}</td>
                <td>{CONFIDENCE_LABELS[h.confidence] ?? h.confidence}</td>
                <td>
                  {h.model} / {h.weightTableId} {h.weightTableVersion}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
