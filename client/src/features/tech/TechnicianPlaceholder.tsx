import type { MeResponse } from '@summit-bridge/protocol';
import { useTranslation } from 'react-i18next';
import { localized } from '../../i18n/index.js';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.js';

/** Where the technician console will be; for now it only says who is signed in. */
export function TechnicianPlaceholder({ me }: { me: MeResponse }) {
  const { t, i18n } = useTranslation();
  return (
    <main className="screen">
      <LanguageSwitch />
      <h1>{t('tech.title')}</h1>
      <p className="screen__lead">
        {t('tech.placeholder', {
          name: me.participant.name,
          summit: localized(me.summit.title, i18n.language),
        })}
      </p>
    </main>
  );
}
