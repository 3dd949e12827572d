import type { Language, LocalizedText } from '@summit-bridge/protocol';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { vi } from './vi.js';

export const languages: readonly Language[] = ['en', 'vi'];
export const resources = { en: { translation: en }, vi: { translation: vi } } as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

const storageKey = 'summit-bridge.language';

function isLanguage(value: unknown): value is Language {
  return languages.includes(value as Language);
}

/** The viewer's earlier choice, else the browser's language when we have it, else English. */
export function preferredLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(storageKey);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage may be off (private mode): fall back to the browser
  }
  const browser = globalThis.navigator?.language?.slice(0, 2);
  return isLanguage(browser) ? browser : 'en';
}

export function initI18n(language: Language = preferredLanguage()) {
  void i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  setDocumentLanguage(language);
  return i18next;
}

export async function changeLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  setDocumentLanguage(language);
  try {
    globalThis.localStorage?.setItem(storageKey, language);
  } catch {
    // not remembered; the choice still holds for this page
  }
}

function setDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** Text the secretariat wrote (titles, names) in the viewer's language, English when missing. */
export function localized(text: LocalizedText, language: string): string {
  return (isLanguage(language) ? text[language] : undefined) ?? text.en;
}
