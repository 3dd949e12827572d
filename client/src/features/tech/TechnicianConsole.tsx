import { useTranslation } from 'react-i18next';
import { useStore } from '../../shared/store.js';
import { formatClock } from '../../shared/time.js';
import { ConnectionBanner } from '../consoles/ConnectionBanner.js';
import { ConsoleHeader } from '../consoles/ConsoleHeader.js';
import { NoticeList } from '../consoles/NoticeList.js';
import { BoothMonitor } from '../interpretation/BoothMonitor.js';
import type { LobbyFeed } from '../lobby/LobbyFeed.js';
import { LobbyPanel } from '../lobby/LobbyPanel.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { AlertList } from './AlertList.js';
import type { HistorySource } from './history.js';
import { LinkQualityTable, type SiteActions } from './LinkQualityTable.js';
import { SiteCharts } from './SiteCharts.js';
import type { TelemetryFeed } from './TelemetryFeed.js';
import { alertsToShow } from './telemetryView.js';

/** What technicians watch for the whole event: every site's link, the alerts, the history. */
export function TechnicianConsole({
  feed,
  source,
  lobby,
}: {
  feed: TelemetryFeed;
  source: HistorySource;
  lobby?: LobbyFeed | null;
}) {
  const { t, i18n } = useTranslation();
  const { request, notices } = useSession();
  const nameOf = useDelegationName();
  const view = useStore(feed.store);

  const actions: SiteActions = {
    restartIce: async (delegation) => {
      const done = await request('telemetry:restartIce', { delegation });
      if (done) notices.show(t('tech.restartAsked', { site: nameOf(delegation), count: done.connections }));
    },
    limitLayer: (delegation, spatialLayer) =>
      void request('telemetry:limitLayer', { delegation, spatialLayer }),
  };

  return (
    <div className="console console--technician">
      <ConsoleHeader title={t('tech.title')} />
      <ConnectionBanner />
      <main className={lobby ? 'tech tech--lobby' : 'tech'}>
        {lobby && <LobbyPanel feed={lobby} />}
        <div className="tech__table">
          {view.loaded ? (
            <LinkQualityTable rules={view.rules} sites={view.sites} actions={actions} />
          ) : (
            <p aria-busy="true">{t('tech.loading')}</p>
          )}
          {view.latest && (
            <p className="tech__updated">
              {t('tech.updated', { time: formatClock(view.latest.at, i18n.language) })}
            </p>
          )}
          <BoothMonitor interpreters={view.latest?.interpreters ?? []} />
        </div>
        <AlertList
          alerts={alertsToShow(view.alerts)}
          rules={view.rules}
          onAcknowledge={(alertId) => void request('telemetry:acknowledge', { alertId })}
        />
        <SiteCharts source={source} latest={view.latest} />
      </main>
      <NoticeList notices={notices} />
    </div>
  );
}
