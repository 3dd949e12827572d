import { can, isChairRole } from '@summit-bridge/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.js';
import { AdoptionSection } from './AdoptionSection.js';
import { DocumentsList } from './DocumentsList.js';
import { defaultSettings, type ProcedureSettings } from './procedureSettings.js';
import { RecordLink } from './RecordView.js';
import { useProceedings } from './useProceedings.js';
import { VoteSection } from './VoteSection.js';

/** Documents, the adoption and the vote before the meeting, the quorum and the record. */
export function ProceedingsPanel() {
  const { t } = useTranslation();
  const { live, proceedings } = useSession();
  const state = useProceedings();
  const heading = useId();
  const [settings, setSettings] = useState<ProcedureSettings>(defaultSettings);
  if (!proceedings || !state) return null;
  const chair = isChairRole(live.you.role);
  return (
    <section className="panel proceedings" aria-labelledby={heading}>
      <h2 id={heading}>{t('proceedings.region')}</h2>
      {(chair || can(live.you.role, 'record.read')) && <Quorum />}
      {chair && <ProcedureSettingsForm settings={settings} onChange={setSettings} />}
      <DocumentsList settings={chair ? settings : null} />
      <AdoptionSection />
      <VoteSection />
      {can(live.you.role, 'record.read') && <RecordLink />}
    </section>
  );
}

/** Delegations present (any of their connections) against the quorum: more than half. */
function Quorum() {
  const { t } = useTranslation();
  const { live } = useSession();
  const codes = new Set(live.delegations.map((d) => d.code));
  const present = new Set(
    live.presence.participants.map((p) => p.delegation).filter((d) => d !== null && codes.has(d)),
  );
  const needed = Math.floor(codes.size / 2) + 1;
  const quorate = present.size >= needed;
  return (
    <p className={`quorum quorum--${quorate ? 'met' : 'short'}`} role="status">
      {t(quorate ? 'proceedings.quorumMet' : 'proceedings.quorumShort', {
        present: present.size,
        total: codes.size,
        needed,
      })}
    </p>
  );
}

function ProcedureSettingsForm({
  settings,
  onChange,
}: {
  settings: ProcedureSettings;
  onChange: (s: ProcedureSettings) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="procedure-settings">
      <label>
        {t('proceedings.mode')}{' '}
        <select
          value={settings.mode}
          onChange={(e) => {
            const mode = e.target.value as ProcedureSettings['mode'];
            onChange({ mode, amount: mode === 'in_session' ? 60 : 72 });
          }}
        >
          <option value="in_session">{t('proceedings.modes.in_session')}</option>
          <option value="silence">{t('proceedings.modes.silence')}</option>
        </select>
      </label>{' '}
      <label>
        {settings.mode === 'in_session' ? t('proceedings.seconds') : t('proceedings.hours')}{' '}
        <input
          type="number"
          min={settings.mode === 'in_session' ? 10 : 1}
          max={settings.mode === 'in_session' ? 3600 : 336}
          value={settings.amount}
          onChange={(e) => onChange({ ...settings, amount: Number(e.target.value) })}
        />
      </label>
    </div>
  );
}
