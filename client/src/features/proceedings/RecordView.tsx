import type { MeetingRecord, RecordItem } from '@summit-bridge/protocol';
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { InterventionPlayback, useRecordPlayback } from '../recording/InterventionPlayback.js';
import { recordingPointerOf } from '../recording/recordingPointer.js';
import { useSession } from '../session/SessionContext.js';
import { download, fetchRecord, fetchRecordHtml, recordHtmlPath } from './documentsApi.js';

/** The "Record of the meeting" link and, once followed, the record drafted from the audit trail. */
export function RecordLink() {
  const { t } = useTranslation();
  const { documents, notices } = useSession();
  const [record, setRecord] = useState<MeetingRecord | null>(null);
  const load = useCallback(async () => {
    if (!documents) return;
    try {
      setRecord(await fetchRecord(documents));
    } catch (error) {
      notices.show(errorText(t, error));
    }
  }, [documents, notices, t]);
  const close = () => setRecord(null);
  return (
    <>
      <p>
        {/* The printable record's address; in the console the record opens here, fetched with the token. */}
        <a
          href={documents ? recordHtmlPath(documents) : '#'}
          onClick={(event) => {
            event.preventDefault();
            void load();
          }}
        >
          {t('proceedings.record')}
        </a>
      </p>
      {record && <RecordView record={record} onRefresh={() => void load()} onClose={close} />}
    </>
  );
}

function RecordView({
  record,
  onRefresh,
  onClose,
}: {
  record: MeetingRecord;
  onRefresh: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { documents, notices } = useSession();
  const heading = useId();
  const name = `record-${record.summit.id}-${record.session.id}`;
  const exportHtml = async () => {
    if (!documents) return;
    try {
      download(await fetchRecordHtml(documents), `${name}.html`);
    } catch (error) {
      notices.show(errorText(t, error));
    }
  };
  return (
    <section id="record" className="record" aria-labelledby={heading}>
      <h3 id={heading}>{t('proceedings.record')}</h3>
      <p className="muted">{t('proceedings.recordNote', { zone: record.hostTimeZone })}</p>
      <div className="button-row">
        <button type="button" className="button" onClick={onRefresh}>
          {t('proceedings.refresh')}
        </button>
        <button type="button" className="button" onClick={() => void exportHtml()}>
          {t('proceedings.exportHtml')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() =>
            download(
              new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' }),
              `${name}.json`,
            )
          }
        >
          {t('proceedings.exportJson')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('proceedings.closeRecord')}
        </button>
      </div>
      <h4>{t('proceedings.attendance')}</h4>
      <ul className="record__attendance">
        {record.attendance.map((line) => (
          <li key={line.delegation}>
            {line.name}:{' '}
            {line.periods.length === 0
              ? t('proceedings.absent')
              : line.periods.map((p) => `${p.from.local} – ${p.to ? p.to.local : '…'}`).join('; ')}
          </li>
        ))}
      </ul>
      <h4>{t('proceedings.items')}</h4>
      <RecordItems items={record.items} />
    </section>
  );
}

/** The record's lines; a recorded intervention has a Play button, and one player is open at a time. */
function RecordItems({ items }: { items: readonly RecordItem[] }) {
  const { t } = useTranslation();
  const playback = useRecordPlayback(items);
  // The item whose player is open, and the press that opened it (a new press starts it again).
  const [playing, setPlaying] = useState<{ item: number; press: number } | null>(null);
  return (
    <ol className="record__items" aria-label={t('proceedings.items')}>
      {items.map((item, i) => {
        const pointer = playback && recordingPointerOf(item);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the record's lines have no id, and never reorder
          <li key={i}>
            <span className="record__time">{item.time.local}</span> {item.text}
            {playback && pointer && (
              <InterventionPlayback
                item={item}
                pointer={pointer}
                playback={playback}
                opened={playing?.item === i ? playing.press : null}
                onOpen={() => setPlaying((p) => ({ item: i, press: (p?.press ?? 0) + 1 }))}
              />
            )}
          </li>
        );
      })}
    </ol>
  );
}
