import { can, type DocumentFormat, type OnScreen } from '@summit-bridge/protocol';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { useSession } from '../session/SessionContext.js';
import { fetchDocument } from './documentsApi.js';
import { useProceedings } from './useProceedings.js';

interface Loaded {
  key: string;
  url: string;
  format: DocumentFormat;
  text: string | null;
}

const keyOf = (s: OnScreen) => `${s.documentId}/${s.version}/${s.language}`;

/** The document the chair put on screen, beside the stage, where the chair is in it. */
export function OnScreenDocument() {
  const { t } = useTranslation();
  const state = useProceedings();
  const { documents, notices, live, request } = useSession();
  const heading = useId();
  const onScreen = state?.onScreen ?? null;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const presenter = can(live.you.role, 'documents.present');
  const key = onScreen ? keyOf(onScreen) : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: fetched again only when another text goes on screen
  useEffect(() => {
    if (!onScreen || !documents || !state) return;
    const file = state.documents
      .find((d) => d.id === onScreen.documentId)
      ?.versions.find((v) => v.version === onScreen.version)
      ?.files.find((f) => f.language === onScreen.language);
    if (!file) return;
    let current = true;
    let url: string | null = null;
    fetchDocument(documents, onScreen.documentId, onScreen.version, onScreen.language).then(
      async (blob) => {
        if (!current) return;
        url = URL.createObjectURL(blob);
        const text = file.format === 'pdf' ? null : await blob.text();
        if (current) setLoaded({ key: keyOf(onScreen), url, format: file.format, text });
      },
      (error) => notices.show(errorText(t, error)),
    );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [key, documents]);

  if (!onScreen || !state) return null;
  const document = state.documents.find((d) => d.id === onScreen.documentId);
  const title = t('proceedings.onScreenTitle', { symbol: document?.symbol ?? '', version: onScreen.version });
  const ready = loaded?.key === key ? loaded : null;
  return (
    <section className="onscreen" aria-labelledby={heading}>
      <h2 id={heading}>{t('proceedings.onScreen')}</h2>
      <p className="onscreen__title">
        {title} — {document?.title}
      </p>
      {ready?.format === 'pdf' && (
        <>
          <p className="muted">{t('proceedings.page', { page: onScreen.page })}</p>
          {/* A new page reloads the viewer at it: the browser's PDF viewer takes the page from the URL. */}
          <iframe
            key={onScreen.page}
            className="onscreen__frame"
            title={title}
            src={`${ready.url}#page=${onScreen.page}`}
          />
        </>
      )}
      {ready && ready.text !== null && (
        <TextOnScreen text={ready.text} onScreen={onScreen} presenter={presenter} />
      )}
      {presenter && (
        <div className="button-row">
          {ready?.format === 'pdf' && (
            <>
              <button
                type="button"
                className="button"
                disabled={onScreen.page <= 1}
                onClick={() => void request('proceedings:scroll', { page: onScreen.page - 1, scroll: 0 })}
              >
                {t('proceedings.previousPage')}
              </button>
              <button
                type="button"
                className="button"
                onClick={() => void request('proceedings:scroll', { page: onScreen.page + 1, scroll: 0 })}
              >
                {t('proceedings.nextPage')}
              </button>
            </>
          )}
          <button type="button" className="button" onClick={() => void request('proceedings:hide', {})}>
            {t('proceedings.stopShowing')}
          </button>
        </div>
      )}
    </section>
  );
}

/** Text follows the chair's scroll; the chair's own scrolling is sent (a few times a second at most). */
function TextOnScreen({
  text,
  onScreen,
  presenter,
}: {
  text: string;
  onScreen: OnScreen;
  presenter: boolean;
}) {
  const { t } = useTranslation();
  const { request } = useSession();
  const box = useRef<HTMLDivElement>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el || presenter) return;
    el.scrollTop = onScreen.scroll * Math.max(0, el.scrollHeight - el.clientHeight);
  }, [onScreen.scroll, presenter]);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  const onScroll = () => {
    if (!presenter || pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      const el = box.current;
      if (!el) return;
      const room = el.scrollHeight - el.clientHeight;
      const scroll = room > 0 ? Math.min(1, Math.max(0, el.scrollTop / room)) : 0;
      void request('proceedings:scroll', { page: 1, scroll: Math.round(scroll * 1000) / 1000 });
    }, 250);
  };
  return (
    <div ref={box} className="onscreen__text" title={t('proceedings.onScreenText')} onScroll={onScroll}>
      <pre>{text}</pre>
    </div>
  );
}
