/** Timing and table helpers shared by the benchmark parts (bench/run.ts and the files it runs). */
import { loadavg } from 'node:os';

export interface Stats {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runsMs: number[];
}

export function stats(runsMs: number[]): Stats {
  const sorted = [...runsMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs: round(medianMs), minMs: round(sorted[0]), maxMs: round(sorted[sorted.length - 1]), runsMs: runsMs.map(round) };
}

/** The value at or below which `p` (0–1) of the runs fall (nearest rank). */
export function percentile(runsMs: number[], p: number): number {
  const sorted = [...runsMs].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]);
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

export async function timedAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export const fmtMs = (ms: number): string => (Number.isNaN(ms) ? 'not run' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);
export const fmtInt = (n: number): string => n.toLocaleString('en-GB');
export const fmtLoad = (l: number[] = loadavg()): string => l.map((x) => x.toFixed(2)).join(', ');

export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
