/**
 * How long a copy that left the vault may be kept (docs/specification.md, "Every export"): every
 * export (returns, meeting packs, network lists) prints the day after which it must be destroyed,
 * and the export register keeps it, so that oversight can chase every copy still held.
 *
 * The default is stated here, once. It belongs with the other retention periods: when the
 * retention policy (resources/reference/retention-policy.json) is recorded as reference data, this
 * period moves into it and is read from there.
 */
import { addDays } from '../../preload/contract/dates';

/** Days after the day of export (UK calendar day) until which a copy may be kept. */
export const EXPORT_DESTROY_AFTER_DAYS = 30;

/** The day (ISO) after which a copy exported on `exportDay` (ISO, UK calendar day) must be destroyed. */
export function destroyAfterDay(exportDay: string): string {
  return addDays(exportDay, EXPORT_DESTROY_AFTER_DAYS);
}
