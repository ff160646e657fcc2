/** The message catalog: English plus the languages of the source documents, switchable at run time. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Translator } from '../lib/problem-message.js';
import { en, type Messages } from './en.js';
import { id } from './id.js';
import { de } from './de.js';
import { es } from './es.js';
import { pl } from './pl.js';
import { pluralForm, type Message } from './plural.js';

export { isPlural, pluralForm, type Message } from './plural.js';

export const CATALOGS: Record<string, Partial<Messages>> = { en, id, de, es, pl };
export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'id', label: 'Bahasa Indonesia' },
  { value: 'de', label: 'Deutsch' },
  { value: 'es', label: 'Español' },
  { value: 'pl', label: 'Polski' },
] as const;
export type Language = (typeof LANGUAGES)[number]['value'];

/**
 * `{name}` placeholders are replaced from `params`; a plural message picks its form by `params.count`.
 * Unknown keys fall back to English (with English plural rules), then to the key.
 */
export function makeTranslator(lang: string): Translator {
  const messages: Record<string, Message> = CATALOGS[lang] ?? en;
  const fallback: Record<string, Message> = en;
  return {
    t(key, params) {
      const own = messages[key];
      const template =
        own !== undefined
          ? pluralForm(own, lang, params?.count)
          : fallback[key] !== undefined
            ? pluralForm(fallback[key], 'en', params?.count)
            : key;
      if (!params) return template;
      return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
    },
    has: (key) => key in messages || key in fallback,
  };
}

interface I18nValue extends Translator {
  lang: Language;
  setLang: (lang: Language) => void;
}

const I18nContext = createContext<I18nValue | null>(null);
const STORAGE_KEY = 'sb.lang';

function initialLanguage(): Language {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (stored && stored in CATALOGS) return stored as Language;
  const nav = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'en';
  return (nav in CATALOGS ? nav : 'en') as Language;
}

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Language }) {
  const [lang, setLangState] = useState<Language>(fixed ?? initialLanguage);
  const setLang = useCallback((l: Language) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18nValue>(() => ({ ...makeTranslator(lang), lang, setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
