import { can } from '@summit-bridge/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { ownMicStatus } from '../floor/floorView.js';
import { useMediaState } from '../media/hooks.js';
import type { StudioSource } from '../media/MediaSession.js';
import { useSession } from '../session/SessionContext.js';
import { acquireTracks } from './acquire.js';
import { DeviceSelect } from './DeviceSelect.js';
import { useDevices } from './useDevices.js';

/** Own microphone and camera: on/off, what the microphone is doing and why, device switch in place. */
export function DeviceControls() {
  const { t } = useTranslation();
  const { live, media, notices } = useSession();
  const state = useMediaState(media);
  const devices = useDevices(state?.mic.track?.id);
  const heading = useId();
  const { role } = live.you;
  if (!media || !state || !(can(role, 'media.publishAudio') || can(role, 'media.publishVideo'))) return null;

  const micStatus = ownMicStatus({
    publishing: state.mic.track !== null,
    pausedByYou: state.mic.pausedByYou,
    producer: live.producers.find((p) => p.producerId === state.mic.producerId),
    floor: live.state.floor,
    delegation: live.you.delegation,
    role,
  });

  const toggle = (source: StudioSource, on: boolean) =>
    media.setEnabled(source, on).catch((error) => notices.show(errorText(t, error)));

  const switchTo = async (source: StudioSource, deviceId: string | null) => {
    if (!deviceId) return;
    try {
      const tracks = await acquireTracks(
        source === 'mic' ? { micId: deviceId, cameraId: null } : { micId: null, cameraId: deviceId },
      );
      const track = tracks[source];
      if (track) await media.replaceTrack(source, track);
    } catch (error) {
      notices.show(t('devices.switchFailed', { message: errorText(t, error) }));
    }
  };

  const deviceOf = (track: MediaStreamTrack | null) => track?.getSettings().deviceId ?? null;

  return (
    <section className="panel devices" aria-labelledby={heading}>
      <h2 id={heading} className="visually-hidden">
        {t('devices.region')}
      </h2>
      <p className={`mic-status mic-status--${micStatus}`} role="status">
        {t(`mic.${micStatus}`)}
      </p>
      <div className="button-row">
        {state.mic.track && (
          <button
            type="button"
            className={state.mic.pausedByYou ? 'button button--off' : 'button'}
            onClick={() => void toggle('mic', state.mic.pausedByYou)}
          >
            {state.mic.pausedByYou ? t('devices.micOn') : t('devices.micOff')}
          </button>
        )}
        {state.camera.track && (
          <button
            type="button"
            className={state.camera.pausedByYou ? 'button button--off' : 'button'}
            onClick={() => void toggle('camera', state.camera.pausedByYou)}
          >
            {state.camera.pausedByYou ? t('devices.cameraOn') : t('devices.cameraOff')}
          </button>
        )}
      </div>
      <div className="devices__pick">
        {state.mic.track && (
          <DeviceSelect
            label={t('devices.microphone')}
            devices={devices.microphones}
            value={deviceOf(state.mic.track)}
            onChange={(id) => void switchTo('mic', id)}
          />
        )}
        {state.camera.track && (
          <DeviceSelect
            label={t('devices.camera')}
            devices={devices.cameras}
            value={deviceOf(state.camera.track)}
            onChange={(id) => void switchTo('camera', id)}
          />
        )}
      </div>
    </section>
  );
}
