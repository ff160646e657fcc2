/** Plural messages of the catalog, chosen with `Intl.PluralRules`. */

/**
 * A message with plural forms, chosen by the `count` parameter through `Intl.PluralRules` of the
 * language: English needs `one` and `other`, Polish `one`, `few`, `many` and `other`, Indonesian only
 * `other` (the catalog test checks each language has exactly the forms its rules need).
 */
export type PluralMessage = Partial<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>> & { other: string };
export type Message = string | PluralMessage;

export function isPlural(message: Message | undefined): message is PluralMessage {
  return typeof message === 'object' && message !== null;
}

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralRulesOf(lang: string): Intl.PluralRules {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules;
}

/** The form of `message` for `count` in `lang` (`other` when the count is missing or not a number). */
export function pluralForm(message: Message, lang: string, count: unknown): string {
  if (!isPlural(message)) return message;
  const n = typeof count === 'number' ? count : typeof count === 'string' && count.trim() !== '' ? Number(count) : NaN;
  if (!Number.isFinite(n)) return message.other;
  return message[pluralRulesOf(lang).select(n)] ?? message.other;
}
