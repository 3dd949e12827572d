import type { ProceedingsState } from '@summit-bridge/protocol';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Notices } from '../../shared/notices.js';
import { Store, useStore } from '../../shared/store.js';
import { useSession } from '../session/SessionContext.js';
import type { SessionController } from '../session/SessionController.js';
import { ProceedingsFeed } from './ProceedingsFeed.js';

/** The session's proceedings for as long as the room lives; a new version is announced to all. */
export function useProceedingsFeed(
  controller: SessionController,
  notices: Notices,
  inside: boolean,
): ProceedingsFeed | null {
  const { t } = useTranslation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: one feed per room, whatever the language
  const feed = useMemo(
    () =>
      inside
        ? new ProceedingsFeed(controller, ({ document, version }) =>
            notices.show(
              version === 1
                ? t('proceedings.tabled', { symbol: document.symbol, title: document.title })
                : t('proceedings.newVersion', { symbol: document.symbol, version }),
            ),
          )
        : null,
    [controller, notices, inside],
  );
  useEffect(() => {
    void feed?.load();
    return () => feed?.close();
  }, [feed]);
  return feed;
}

const none = new Store<ProceedingsState | null>(null);

/** The proceedings as the server last said, or null before the first answer. */
export function useProceedings(): ProceedingsState | null {
  const { proceedings } = useSession();
  return useStore(proceedings?.store ?? none);
}
