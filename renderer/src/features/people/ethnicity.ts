/**
 * Ethnicity codes, held only for disproportionality monitoring (domain.md "Fairness") and never
 * shown below aggregate level in any export. Self-defined: the 16+1 census categories (2001,
 * England and Wales). Officer-defined: IC codes; only IC1–IC6 have settled descriptions.
 */
import type { OFFICER_ETHNICITY, SELF_ETHNICITY } from '../../../../preload/contract/schemas/matrix';

export const SELF_ETHNICITY_LABELS: Record<(typeof SELF_ETHNICITY)[number], string> = {
  W1: 'White – British',
  W2: 'White – Irish',
  W9: 'White – any other White background',
  M1: 'Mixed – White and Black Caribbean',
  M2: 'Mixed – White and Black African',
  M3: 'Mixed – White and Asian',
  M9: 'Mixed – any other mixed background',
  A1: 'Asian or Asian British – Indian',
  A2: 'Asian or Asian British – Pakistani',
  A3: 'Asian or Asian British – Bangladeshi',
  A9: 'Asian or Asian British – any other Asian background',
  B1: 'Black or Black British – Caribbean',
  B2: 'Black or Black British – African',
  B9: 'Black or Black British – any other Black background',
  O1: 'Other ethnic group – Chinese',
  O9: 'Other ethnic group – any other ethnic group',
  NS: 'Not stated',
};

export const OFFICER_ETHNICITY_LABELS: Record<(typeof OFFICER_ETHNICITY)[number], string> = {
  IC1: 'IC1 – White, northern European',
  IC2: 'IC2 – White, southern European',
  IC3: 'IC3 – Black',
  IC4: 'IC4 – Asian',
  IC5: 'IC5 – Chinese, Japanese or other south-east Asian',
  IC6: 'IC6 – Arab or north African',
  IC7: 'IC7',
  IC8: 'IC8',
  IC9: 'IC9',
};
