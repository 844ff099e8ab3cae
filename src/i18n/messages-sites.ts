/**
 * Messages: Library websites (home page per library, news and events, branding, the network portal) — in Vietnamese and English; merged into the one catalogue in `messages.ts`.
 * The parity test there checks that both languages have the same keys and placeholders.
 */
export const sitesVi = {} as const;

export const sitesEn: Record<keyof typeof sitesVi, string> = {};
