/**
 * Messages: The installable web app (manifest, offline page, service worker messages) — in Vietnamese and English; merged into the one catalogue in `messages.ts`.
 * The parity test there checks that both languages have the same keys and placeholders.
 */
export const pwaVi = {} as const;

export const pwaEn: Record<keyof typeof pwaVi, string> = {};
