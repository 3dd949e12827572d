import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ChairPanel } from '../chair/ChairPanel.js';
import { SpeakersListEditor } from '../chair/SpeakersListEditor.js';
import { DeviceControls } from '../devices/DeviceControls.js';
import { FloorPanel } from '../floor/FloorPanel.js';
import { SpeakersList } from '../floor/SpeakersList.js';
import { Gallery } from '../gallery/Gallery.js';
import { BoothMessages } from '../interpretation/BoothMessages.js';
import { BoothPanel } from '../interpretation/BoothPanel.js';
import { LanguageSelect } from '../interpretation/LanguageSelect.js';
import { useAudioMix } from '../interpretation/useAudioMix.js';
import { LobbyPanel } from '../lobby/LobbyPanel.js';
import { RemoteAudio } from '../media/RemoteAudio.js';
import { OnScreenDocument } from '../proceedings/OnScreenDocument.js';
import { ProceedingsPanel } from '../proceedings/ProceedingsPanel.js';
import { RecordingsPanel } from '../recording/RecordingsPanel.js';
import { useSession } from '../session/SessionContext.js';
import { PresentationControls } from '../stage/PresentationControls.js';
import { Stage } from '../stage/Stage.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { ConsoleHeader } from './ConsoleHeader.js';
import { NoticeList } from './NoticeList.js';

/** What every console shares: header, link state, stage, gallery, own devices, messages, sound. */
function ConsoleFrame({ kind, side }: { kind: 'delegate' | 'chair' | 'interpreter'; side: ReactNode }) {
  const { t } = useTranslation();
  const { media, notices, lobby, live, desk } = useSession();
  const volumeOf = useAudioMix(live, desk);
  const title = {
    delegate: t('console.delegationConsole'),
    chair: t('console.chairConsole'),
    interpreter: t('interpretation.interpreterConsole'),
  }[kind];
  return (
    <div className={`console console--${kind}`}>
      <ConsoleHeader title={title} />
      <ConnectionBanner />
      <main className="console__main">
        <div className="console__centre">
          <div className="console__stage-row">
            <Stage />
            <OnScreenDocument />
          </div>
          {desk && kind !== 'interpreter' && <LanguageSelect desk={desk} />}
          <DeviceControls />
          <PresentationControls />
          <Gallery />
        </div>
        <div className="console__side">
          {lobby && <LobbyPanel feed={lobby} />}
          {side}
          {/* The chair starts and stops the recording from the chair panel; the secretariat from here. */}
          <RecordingsPanel withControls={kind !== 'chair'} />
          <ProceedingsPanel />
        </div>
      </main>
      <NoticeList notices={notices} />
      <RemoteAudio media={media} volumeOf={volumeOf} />
    </div>
  );
}

/** Heads of delegation, delegates, interpreters, observers, secretariat: the role decides the controls. */
export function DelegateConsole() {
  return <ConsoleFrame kind="delegate" side={<FloorPanel list={<SpeakersList />} />} />;
}

/** Interpreters: their booth, the floor and the speakers list, texts with boothmates and technicians. */
export function InterpreterConsole() {
  const { desk } = useSession();
  return (
    <ConsoleFrame
      kind="interpreter"
      side={
        <>
          <BoothPanel />
          {desk && <BoothMessages desk={desk} booths={null} />}
          <FloorPanel list={<SpeakersList />} />
        </>
      }
    />
  );
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
