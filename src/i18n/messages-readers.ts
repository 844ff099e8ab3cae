/**
 * Messages: Readers' accounts (register, sign in, profile, saved lists, history) and the staff approval pages — in Vietnamese and English; merged into the one catalogue in `messages.ts`.
 * The parity test there checks that both languages have the same keys and placeholders.
 */
export const readersVi = {} as const;

export const readersEn: Record<keyof typeof readersVi, string> = {};
