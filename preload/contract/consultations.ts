/**
 * Consultations, stated once for every process: the reason a person gives before opening a
 * restricted record, and which entries of a record's audit trail each role is shown on its card.
 * Main enforces both (matrix-read.service.ts); the renderer asks the same questions to decide what
 * to show. Pure: zod and the shared layer only.
 */
import { z } from 'zod';
import { KEEPERS, OVERSIGHT } from './permissions';
import { plainText } from './text';
import type { AuditAction, Role } from './vocabulary';

export const CONSULT_REASON_MIN = 8;
export const CONSULT_REASON_MAX = 500;

/**
 * Why the person is opening a restricted record. One line of plain text, long enough to say
 * something ("check" says nothing). It is kept only as the consultation's justification, never in
 * a summary, so the audit log's summaries stay free of what people type.
 */
export const consultReason = plainText(
  z
    .string()
    .trim()
    .min(CONSULT_REASON_MIN, `Give a reason of at least ${CONSULT_REASON_MIN} characters: what you need this record for.`)
    .max(CONSULT_REASON_MAX, `Use at most ${CONSULT_REASON_MAX} characters.`),
  { control: 'Write the reason on one line, without control characters.' },
);

/** Entries about changes to a record: what an analyst sees of another user's work on a card. */
export const CHANGE_ACTIONS = ['collect', 'alter', 'combine', 'erase'] as const satisfies readonly AuditAction[];

/**
 * Which of a record's audit entries its card shows to a role. Who consulted a record, and why, is
 * itself personal data about colleagues and a lead to what interests them: oversight
 * (supervisors and administrators, who read the whole audit log anyway) sees every entry; the
 * other keepers (analysts) see the changes made to the record, not who looked at it; validators and
 * read-only users, who change nothing on the register, see none.
 */
export function cardAuditActions(role: Role): 'all' | readonly AuditAction[] {
  if ((OVERSIGHT as readonly Role[]).includes(role)) return 'all';
  if ((KEEPERS as readonly Role[]).includes(role)) return CHANGE_ACTIONS;
  return [];
}

/** Whether a role is shown consultations on a card (the renderer offers to hide them only then). */
export function seesConsultations(role: Role): boolean {
  const actions = cardAuditActions(role);
  return actions === 'all' || actions.includes('consult');
}
