import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../shared/store.js';
import type { InterpretationDesk } from './InterpretationDesk.js';
import { useLanguageName } from './languageName.js';

/** Short texts between boothmates and the technicians; a technician picks the booth it answers. */
export function BoothMessages({ desk, booths }: { desk: InterpretationDesk; booths: string[] | null }) {
  const { t } = useTranslation();
  const nameOf = useLanguageName();
  const { messages } = useStore(desk.store);
  const [text, setText] = useState('');
  const [booth, setBooth] = useState(booths?.[0] ?? '');
  const heading = useId();
  const input = useId();
  const send = (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    void desk.send(message, booths ? booth : undefined).then(() => setText(''));
  };
  return (
    <section className="panel booth-messages" aria-labelledby={heading}>
      <h2 id={heading}>{t('interpretation.messages')}</h2>
      {messages.length === 0 ? (
        <p className="muted">{t('interpretation.noMessages')}</p>
      ) : (
        <ol className="booth-messages__list" aria-live="polite">
          {messages.map((m) => (
            <li key={`${m.at}-${m.from}`}>
              <strong>{m.name}</strong>
              {booths && <span className="tag">{nameOf(m.booth)}</span>} {m.text}
            </li>
          ))}
        </ol>
      )}
      <form className="booth-messages__form" onSubmit={send}>
        {booths && (
          <select
            aria-label={t('interpretation.booth')}
            value={booth}
            onChange={(e) => setBooth(e.target.value)}
          >
            {booths.map((language) => (
              <option key={language} value={language}>
                {t('interpretation.boothOf', { language: nameOf(language) })}
              </option>
            ))}
          </select>
        )}
        <label htmlFor={input} className="visually-hidden">
          {t('interpretation.message')}
        </label>
        <input
          id={input}
          className="booth-messages__message"
          value={text}
          maxLength={500}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button">
          {t('interpretation.send')}
        </button>
      </form>
    </section>
  );
}
