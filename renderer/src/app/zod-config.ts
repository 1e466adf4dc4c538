/**
 * Imported first by main.tsx, before anything that builds a zod schema (the contract does so at
 * import time). zod 4 compiles object parsers with `new Function` unless told not to, and merely
 * probing for that raises a CSP violation under `script-src 'self'`. jitless keeps zod to plain
 * code: https://zod.dev/api#jitless
 */
import { z } from 'zod';

z.config({ jitless: true });
