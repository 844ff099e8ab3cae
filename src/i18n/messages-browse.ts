/**
 * Messages: Browse pages (subjects, authors, collections, classes, new arrivals), feeds and discoverability — in Vietnamese and English; merged into the one catalogue in `messages.ts`.
 * The parity test there checks that both languages have the same keys and placeholders.
 */
export const browseVi = {} as const;

export const browseEn: Record<keyof typeof browseVi, string> = {};
