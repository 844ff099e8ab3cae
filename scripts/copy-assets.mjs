// Copies what the compiled build needs besides JavaScript: the stylesheet and icons.
import { cpSync } from 'node:fs';
cpSync('src/http/assets', 'dist/http/assets', { recursive: true, filter: (f) => !/\.(ts|tsx)$/.test(f) });
