import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../i18n/index.js';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.js';
import { errorText } from '../../shared/errorText.js';
import { useStore } from '../../shared/store.js';
import { acquireTracks, type DeviceChoice, type LocalTracks, stopTracks } from '../devices/acquire.js';
import { DeviceSelect } from '../devices/DeviceSelect.js';
import { MicLevelMeter } from '../devices/MicLevelMeter.js';
import { useDevices } from '../devices/useDevices.js';
import { VideoView } from '../media/VideoView.js';
import type { SessionController } from '../session/SessionController.js';
import { testConnectivity, type Verdict } from './connectivity.js';

export interface Entry {
  tracks: LocalTracks;
  forceTcp: boolean;
  /** Turned off by the participant before entering (a reload remembers it). */
  paused?: { mic: boolean; camera: boolean };
}

type Check = { state: 'testing' } | { state: 'done'; verdict: Verdict } | { state: 'error'; error: unknown };

/**
 * Before entering: pick the camera and microphone, see yourself, watch the microphone move,
 * and learn whether media reaches the media node (UDP, else TCP, else the relay) — with a plain verdict.
 */
export function PreJoinCheck({
  controller,
  publish,
  onEnter,
}: {
  controller: SessionController;
  publish: { audio: boolean; video: boolean };
  onEnter: (entry: Entry) => void;
}) {
  const { t, i18n } = useTranslation();
  const heading = useId();
  const [choice, setChoice] = useState<DeviceChoice>({
    micId: publish.audio ? undefined : null,
    cameraId: publish.video ? undefined : null,
  });
  const [tracks, setTracks] = useState<LocalTracks>({ mic: null, camera: null });
  const [deviceError, setDeviceError] = useState<unknown>(null);
  const [devicesSettled, setDevicesSettled] = useState(false);
  const handedOver = useRef(false);
  const devices = useDevices(tracks.mic?.id ?? tracks.camera?.id);
  const [check, setCheck] = useState<Check>({ state: 'testing' });
  const [round, setRound] = useState(0);
  const view = useStore(controller.store);

  const wantsDevices = publish.audio || publish.video;
  useEffect(() => {
    if (!wantsDevices) return;
    let cancelled = false;
    let got: LocalTracks | null = null;
    setDevicesSettled(false);
    acquireTracks(choice).then(
      (acquired) => {
        if (cancelled) return stopTracks(acquired);
        got = acquired;
        setTracks(acquired);
        setDeviceError(null);
        setDevicesSettled(true);
      },
      (error) => {
        if (cancelled) return;
        setTracks({ mic: null, camera: null });
        setDeviceError(error);
        setDevicesSettled(true);
      },
    );
    return () => {
      cancelled = true;
      if (got && !handedOver.current) stopTracks(got);
    };
  }, [choice, wantsDevices]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the "test again" button
  useEffect(() => {
    let current = true;
    setCheck({ state: 'testing' });
    testConnectivity(controller.signaling).then(
      (verdict) => current && setCheck({ state: 'done', verdict }),
      (error) => current && setCheck({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [controller, round]);

  const enter = () => {
    handedOver.current = true;
    const forceTcp = check.state === 'done' && check.verdict.reachable && check.verdict.protocol === 'tcp';
    onEnter({ tracks, forceTcp });
  };

  const live = view.live;
  const connected = live
    ? live.delegations.filter((d) => live.presence.participants.some((p) => p.delegation === d.code)).length
    : 0;
  const reachable = check.state === 'done' && check.verdict.reachable;

  return (
    <main className="screen screen--precheck">
      <LanguageSwitch />
      <h1 id={heading}>{t('precheck.title')}</h1>
      {live && (
        <p className="screen__lead">
          {t('precheck.session', {
            title: localized(live.session.title, i18n.language),
            status: t(`status.${live.state.status}`),
          })}{' '}
          · {t('precheck.connectedCount', { count: connected, total: live.delegations.length })}
        </p>
      )}
      <div className="precheck">
        {wantsDevices && (
          <section className="panel" aria-label={t('precheck.devices')}>
            <h2>{t('precheck.devices')}</h2>
            <div className="precheck__self">
              {tracks.camera ? (
                <VideoView track={tracks.camera} mirrored />
              ) : (
                <div className="precheck__nocamera" />
              )}
            </div>
            {publish.audio && (
              <>
                <MicLevelMeter track={tracks.mic} />
                <p className="hint">{t('precheck.speakToTest')}</p>
                <DeviceSelect
                  label={t('precheck.microphone')}
                  devices={devices.microphones}
                  value={tracks.mic?.getSettings().deviceId ?? null}
                  allowNone
                  onChange={(micId) => setChoice((c) => ({ ...c, micId }))}
                />
              </>
            )}
            {publish.video && (
              <DeviceSelect
                label={t('precheck.camera')}
                devices={devices.cameras}
                value={tracks.camera?.getSettings().deviceId ?? null}
                allowNone
                onChange={(cameraId) => setChoice((c) => ({ ...c, cameraId }))}
              />
            )}
            {deviceError !== null && (
              <p className="screen__warning">
                {t('precheck.devicesBlocked', { message: errorText(t, deviceError) })}
              </p>
            )}
          </section>
        )}
        <section className="panel" aria-label={t('precheck.connectivity')}>
          <h2>{t('precheck.connectivity')}</h2>
          <p className={`verdict verdict--${verdictClass(check)}`} role="status">
            {verdictText(check, t)}
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={check.state === 'testing'}
              onClick={() => setRound((r) => r + 1)}
            >
              {t('precheck.retest')}
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={check.state === 'testing' || (wantsDevices && !devicesSettled)}
              onClick={enter}
            >
              {reachable ? t('precheck.enter') : t('precheck.enterAnyway')}
            </button>
          </div>
        </section>
      </div>
    </main>
  );
}

function verdictClass(check: Check): string {
  if (check.state !== 'done') return check.state;
  return check.verdict.reachable ? check.verdict.protocol : 'unreachable';
}

function verdictText(check: Check, t: ReturnType<typeof useTranslation>['t']): string {
  if (check.state === 'testing') return t('precheck.testing');
  if (check.state === 'error') return t('precheck.testFailed', { message: errorText(t, check.error) });
  const { verdict } = check;
  if (!verdict.reachable) return t('precheck.unreachable');
  const path = t(`precheck.${verdict.protocol}`);
  return verdict.rttMs === null ? path : `${path} ${t('precheck.roundTrip', { rtt: verdict.rttMs })}`;
}
