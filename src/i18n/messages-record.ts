/**
 * Messages: The public record page (citations, exports, sharing) and search-result additions — in Vietnamese and English; merged into the one catalogue in `messages.ts`.
 * The parity test there checks that both languages have the same keys and placeholders.
 */
export const recordVi = {} as const;

export const recordEn: Record<keyof typeof recordVi, string> = {};
