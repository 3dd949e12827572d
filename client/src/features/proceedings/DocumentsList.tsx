import { can, isChairRole, type SessionDocument } from '@summit-bridge/protocol';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { useSession } from '../session/SessionContext.js';
import { download, fetchDocument, uploadDocument } from './documentsApi.js';
import { type ProcedureSettings, procedureDurationSec } from './procedureSettings.js';
import { useProceedings } from './useProceedings.js';

/** The session's documents: open any version; table and revise (secretariat, chair); show, put to adoption (chair). */
export function DocumentsList({ settings }: { settings: ProcedureSettings | null }) {
  const { t } = useTranslation();
  const state = useProceedings();
  const { live } = useSession();
  const heading = useId();
  if (!state) return null;
  return (
    <section className="proceedings__documents" aria-labelledby={heading}>
      <h3 id={heading}>{t('proceedings.documents')}</h3>
      {state.documents.length === 0 && <p className="muted">{t('proceedings.noDocuments')}</p>}
      <ul aria-labelledby={heading} className="documents">
        {state.documents.map((document) => (
          <DocumentItem key={document.id} document={document} settings={settings} />
        ))}
      </ul>
      {can(live.you.role, 'documents.manage') && <TableDocument />}
    </section>
  );
}

function DocumentItem({
  document,
  settings,
}: {
  document: SessionDocument;
  settings: ProcedureSettings | null;
}) {
  const { t, i18n } = useTranslation();
  const { live, request, documents, notices } = useSession();
  const latest = document.versions.at(-1);
  const [version, setVersion] = useState<number | null>(null);
  const shown = document.versions.find((v) => v.version === version) ?? latest;
  if (!latest || !shown) return null;
  const language =
    shown.files.find((f) => f.language === i18n.language)?.language ?? shown.files[0]?.language ?? 'en';
  const role = live.you.role;

  const open = async () => {
    if (!documents) return;
    // Opened at once (the click allows a new tab), filled once the bytes have come.
    const tab = window.open('', '_blank');
    try {
      const blob = await fetchDocument(documents, document.id, shown.version, language);
      // Pop-ups blocked: the file is saved rather than the console navigated away from the meeting.
      if (!tab)
        return download(blob, `${document.symbol.replace(/[^A-Za-z0-9.-]+/g, '_')}-v${shown.version}`);
      const url = URL.createObjectURL(blob);
      tab.location.href = url;
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      tab?.close();
      notices.show(errorText(t, error));
    }
  };

  return (
    <li className="documents__item">
      <p>
        <strong>{document.symbol}</strong> {document.title}
      </p>
      <p className="muted">
        {t('proceedings.versionLine', {
          version: latest.version,
          languages: latest.files.map((f) => f.language).join(', '),
        })}
      </p>
      <div className="button-row">
        {document.versions.length > 1 && (
          <label>
            {t('proceedings.version')}{' '}
            <select value={shown.version} onChange={(e) => setVersion(Number(e.target.value))}>
              {document.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" className="button" onClick={() => void open()}>
          {t('proceedings.open')}
        </button>
        {can(role, 'documents.present') && (
          <button
            type="button"
            className="button"
            onClick={() =>
              void request('proceedings:show', { documentId: document.id, version: shown.version, language })
            }
          >
            {t('proceedings.show')}
          </button>
        )}
        {isChairRole(role) && settings && (
          <button
            type="button"
            className="button button--primary"
            onClick={() =>
              void request('proceedings:openAdoption', {
                documentId: document.id,
                version: shown.version,
                mode: settings.mode,
                durationSec: procedureDurationSec(settings),
              })
            }
          >
            {t('proceedings.putToAdoption')}
          </button>
        )}
      </div>
      {can(role, 'documents.manage') && <NewVersion document={document} language={language} />}
    </li>
  );
}

function NewVersion({ document, language }: { document: SessionDocument; language: string }) {
  const { t } = useTranslation();
  const { documents, notices } = useSession();
  const id = useId();
  const upload = async (file: File | undefined) => {
    if (!file || !documents) return;
    try {
      await uploadDocument(documents, file, {
        documentId: document.id,
        language,
        markdown: /\.md$/i.test(file.name),
      });
    } catch (error) {
      notices.show(errorText(t, error));
    }
  };
  return (
    <p className="documents__upload">
      <label htmlFor={id}>{t('proceedings.newVersionOf', { symbol: document.symbol })}</label>{' '}
      <input
        id={id}
        type="file"
        accept=".pdf,.md,.txt,application/pdf,text/plain,text/markdown"
        onChange={(e) => void upload(e.target.files?.[0])}
      />
    </p>
  );
}

function TableDocument() {
  const { t } = useTranslation();
  const { documents, notices } = useSession();
  const [busy, setBusy] = useState(false);
  const heading = useId();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0 || !documents) return;
    setBusy(true);
    try {
      await uploadDocument(documents, file, {
        title: String(data.get('title') ?? ''),
        symbol: String(data.get('symbol') ?? ''),
        language: String(data.get('language') ?? 'en'),
        markdown: data.get('markdown') === 'on',
      });
      form.reset();
    } catch (error) {
      notices.show(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="documents__table" aria-labelledby={heading} onSubmit={(e) => void submit(e)}>
      <h4 id={heading}>{t('proceedings.tableTitle')}</h4>
      <label>
        {t('proceedings.title')} <input name="title" required maxLength={300} />
      </label>
      <label>
        {t('proceedings.symbol')} <input name="symbol" required maxLength={64} placeholder="ACC/2020/REC.1" />
      </label>
      <label>
        {t('proceedings.language')}{' '}
        <input name="language" required defaultValue="en" pattern="[a-z]{2,3}(-[A-Z]{2})?" size={6} />
      </label>
      <label>
        {t('proceedings.file')}{' '}
        <input
          name="file"
          type="file"
          required
          accept=".pdf,.md,.txt,application/pdf,text/plain,text/markdown"
        />
      </label>
      <label>
        <input name="markdown" type="checkbox" /> {t('proceedings.markdown')}
      </label>
      <button type="submit" className="button" disabled={busy}>
        {t('proceedings.table')}
      </button>
    </form>
  );
}
