import { useTranslation } from 'react-i18next';
import { useMicLevel } from './useMicLevel.js';

export function MicLevelMeter({ track }: { track: MediaStreamTrack | null }) {
  const { t } = useTranslation();
  const level = useMicLevel(track);
  return (
    <meter className="meter" aria-label={t('precheck.micLevel')} min={0} max={100} low={5} value={level}>
      {level}
    </meter>
  );
}
