import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ChairPanel } from '../chair/ChairPanel.js';
import { SpeakersListEditor } from '../chair/SpeakersListEditor.js';
import { DeviceControls } from '../devices/DeviceControls.js';
import { FloorPanel } from '../floor/FloorPanel.js';
import { SpeakersList } from '../floor/SpeakersList.js';
import { Gallery } from '../gallery/Gallery.js';
import { LobbyPanel } from '../lobby/LobbyPanel.js';
import { RemoteAudio } from '../media/RemoteAudio.js';
import { OnScreenDocument } from '../proceedings/OnScreenDocument.js';
import { ProceedingsPanel } from '../proceedings/ProceedingsPanel.js';
import { useSession } from '../session/SessionContext.js';
import { Stage } from '../stage/Stage.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { ConsoleHeader } from './ConsoleHeader.js';
import { NoticeList } from './NoticeList.js';

/** What every console shares: header, link state, stage, gallery, own devices, messages, sound. */
function ConsoleFrame({ kind, side }: { kind: 'delegate' | 'chair'; side: ReactNode }) {
  const { t } = useTranslation();
  const { media, notices, lobby } = useSession();
  return (
    <div className={`console console--${kind}`}>
      <ConsoleHeader title={kind === 'chair' ? t('console.chairConsole') : t('console.delegationConsole')} />
      <ConnectionBanner />
      <main className="console__main">
        <div className="console__centre">
          <div className="console__stage-row">
            <Stage />
            <OnScreenDocument />
          </div>
          <DeviceControls />
          <Gallery />
        </div>
        <div className="console__side">
          {lobby && <LobbyPanel feed={lobby} />}
          {side}
          <ProceedingsPanel />
        </div>
      </main>
      <NoticeList notices={notices} />
      <RemoteAudio media={media} />
    </div>
  );
}

/** Heads of delegation, delegates, interpreters, observers, secretariat: the role decides the controls. */
export function DelegateConsole() {
  return <ConsoleFrame kind="delegate" side={<FloorPanel list={<SpeakersList />} />} />;
}

/** Chair and co-chairs: the delegate console plus the management of the floor and the session. */
export function ChairConsole() {
  return (
    <ConsoleFrame
      kind="chair"
      side={
        <>
          <FloorPanel list={<SpeakersListEditor />} />
          <ChairPanel />
        </>
      }
    />
  );
}
