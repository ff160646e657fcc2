/**
 * A feature's own messages, kept beside the other languages of the same feature so that a screen's
 * words live in one file. Each language catalog (en.ts, de.ts, ...) spreads the feature's part in, so
 * the catalog test still sees one flat catalog per language with exactly the keys of English.
 */
import type { PluralMessage } from '../plural.js';

type Translation<E> = { [K in keyof E]: E[K] extends string ? string : PluralMessage };

export interface FeatureMessages<E> {
  en: E;
  id: Translation<E>;
  de: Translation<E>;
  es: Translation<E>;
  pl: Translation<E>;
}

/** English first (the reference), then every other language with exactly its keys (checked by the compiler). */
export function featureMessages<const E extends Record<string, string | PluralMessage>>(
  messages: FeatureMessages<E>,
): FeatureMessages<E> {
  return messages;
}
