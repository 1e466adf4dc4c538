/** Numbers as the score is read: grouped thousands, a fixed number of decimals, a real minus sign. */
const formatters = new Map<number, Intl.NumberFormat>();

export function fixed(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  let f = formatters.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(decimals, f);
  }
  return f.format(value).replace('-', '−');
}

/** Trend since the last rescore: "▲ 3.2", "▼ 1.5", or "—" when there is nothing to compare. */
export function trendText(trend: number | null | undefined): string {
  if (trend === null || trend === undefined) return '—';
  const rounded = Math.round(trend * 10) / 10;
  if (rounded > 0) return `▲ ${fixed(rounded, 1)}`;
  if (rounded < 0) return `▼ ${fixed(-rounded, 1)}`;
  return '0.0';
}
