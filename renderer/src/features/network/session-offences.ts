/**
 * Offences recorded in this unlocked session, so the link and flag forms can offer them before
 * they are linked anywhere (the link form also finds any offence by its crime reference, in
 * offence-search.ts). Module state: locking reloads the page, which clears it.
 */
import type { OffenceRecord } from './card';

export const recordedThisSession: OffenceRecord[] = [];
