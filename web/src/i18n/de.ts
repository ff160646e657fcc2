/** de messages. Keys missing here fall back to English (see i18n/index.tsx). */
import type { Messages } from './en.js';

export const de: Partial<Messages> = {
};
