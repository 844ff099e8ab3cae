import { hash, verify, type Options } from '@node-rs/argon2';

// `Algorithm.Argon2id` is an ambient const enum, which isolated modules cannot read; its value is 2.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;
import type { PasswordHasher } from '../../app/ports.js';

export interface Argon2Options {
  /** KiB of memory per hash. OWASP's minimum for argon2id is 19 MiB with 2 passes. */
  memoryCost?: number;
  timeCost?: number;
}

/** argon2id password hashing (PHC string format, so parameters can change without a migration). */
export function argon2Hasher(opts: Argon2Options = {}): PasswordHasher {
  const params = { algorithm: ARGON2ID, memoryCost: opts.memoryCost ?? 19456, timeCost: opts.timeCost ?? 2, parallelism: 1 };
  return {
    hash: (password) => hash(password, params),
    verify: async (h, password) => {
      try {
        return await verify(h, password);
      } catch {
        return false;
      }
    },
  };
}
