import { useTranslation } from 'react-i18next';
import type { Notices } from '../../shared/notices.js';
import { useStore } from '../../shared/store.js';

/** Errors and remarks, calm and out of the way: they never block the console. */
export function NoticeList({ notices }: { notices: Notices }) {
  const { t } = useTranslation();
  const items = useStore(notices.store);
  return (
    <section className="notices" aria-label={t('notices.region')} aria-live="polite">
      {items.map((notice) => (
        <p key={notice.id} className="notice">
          <span>{notice.text}</span>
          <button
            type="button"
            className="notice__dismiss"
            aria-label={t('notices.dismiss')}
            onClick={() => notices.dismiss(notice.id)}
          >
            ×
          </button>
        </p>
      ))}
    </section>
  );
}
