/** Small coloured markers that always carry their meaning in words too (never colour alone). */
import { BAND_LABELS, type Band } from './labels';

export function BandChip({ band, isOverride }: { band: string; isOverride?: boolean }) {
  const label = BAND_LABELS[band as Band] ?? band;
  return (
    <span className={`band-chip band-${band}`}>
      {label}
      {isOverride ? ' (override)' : ''}
    </span>
  );
}

export function Under18Marker() {
  return (
    <span className="marker marker-u18" title="Under 18">
      Under 18
    </span>
  );
}

export function OverdueMarker({ text = 'Review overdue' }: { text?: string }) {
  return <span className="marker marker-overdue">{text}</span>;
}
