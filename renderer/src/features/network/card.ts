/** Shapes the card's sections share, all from the contract (the explanation's included). */
import type { NetworkCard, Output, ScoreExplanation, SessionUser } from '../../../../preload/contract';
import type { Abilities } from '../../components/roles';
import type { ReferenceLookup } from '../../components/reference';

export type Card = NetworkCard;
/** The score taken apart; the card's is null when the network has not been scored yet. */
export type Explanation = ScoreExplanation;
export type Member = Card['members'][number];
export type CardOffence = Card['offences'][number];
export type Intelligence = Card['intelligence'][number];
export type Flag = Card['flags'][number];
export type Override = Card['overrides'][number];
export type OffenceRecord = Output<'offences:create'>;

/** What every section of the card is given. */
export interface CardContext {
  card: Card;
  reference: ReferenceLookup;
  me: SessionUser;
  abilities: Abilities;
  /** Read the card again after a change (main has already rescored). */
  reload: () => Promise<void>;
  /** A quiet confirmation shown under the card's header. */
  notify: (message: string) => void;
}

/** Intelligence items as choices: reference, grade, source and date. */
export function intelligenceOptions(items: Intelligence[]) {
  return items.map((i) => ({
    value: i.id,
    label: i.reference,
    detail: `${i.grading === '3x5x2' ? `${i.sourceGrade}/${i.intelGrade}/${i.handling}` : `5x5x5 ${i.legacyGrade ?? ''}`}, source ${i.sourceRef}`,
  }));
}

/**
 * A short list is shown at its own height; a long one (a network can have hundreds of offences)
 * in a fixed-height, virtualised grid, so the card never renders every row at once.
 */
export function fitsWithoutScrolling(rows: readonly unknown[]): boolean {
  return rows.length <= 12;
}
