import type { Handlers } from './handle';
import { auditHandlers, settingsHandlers } from './audit.handlers';
import { usersHandlers } from './users.handlers';
import { vaultHandlers } from './vault.handlers';
import { matrixHandlers } from './matrix.handlers';
import { disruptionHandlers } from './disruptions.handlers';
import { returnHandlers } from './returns.handlers';
import { erasureHandlers } from './erasure.handlers';
import { policyHandlers } from './policy.handlers';
import { retentionHandlers } from './retention.handlers';
import { reviewHandlers } from './reviews.handlers';

/** Every contract channel's handler. The type makes a missing or extra channel a compile error. */
export const handlers: Handlers = { ...vaultHandlers, ...usersHandlers, ...auditHandlers, ...settingsHandlers, ...matrixHandlers, ...disruptionHandlers, ...returnHandlers, ...erasureHandlers, ...policyHandlers, ...retentionHandlers, ...reviewHandlers };
