import { useTranslation } from 'react-i18next';

/** A spoken language's name in the interface language ("Vietnamese", "tiếng Việt"), else its code. */
export function useLanguageName(): (code: string) => string {
  const { i18n } = useTranslation();
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([i18n.language], { type: 'language' });
  } catch {
    names = null;
  }
  return (code) => names?.of(code) ?? code;
}
