import { useTranslation } from 'react-i18next';
import { Flag } from '../../flags/Flag.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';

/** The speakers list in the server's order, the same on every screen. */
export function SpeakersList() {
  const { t } = useTranslation();
  const { live } = useSession();
  const nameOf = useDelegationName();
  const list = live.state.floor.speakersList;
  return (
    <>
      <ol className="speakers" aria-label={t('floor.speakersList')}>
        {list.map((request) => {
          const delegation = live.delegations.find((d) => d.code === request.delegation);
          return (
            <li
              key={request.delegation}
              className={
                request.delegation === live.you.delegation
                  ? 'speakers__item speakers__item--you'
                  : 'speakers__item'
              }
            >
              {delegation && <Flag delegation={delegation} className="speakers__flag" />}
              <span className="speakers__name">{nameOf(request.delegation)}</span>
              {request.kind !== 'speak' && <span className="tag">{t(`floor.kind.${request.kind}`)}</span>}
            </li>
          );
        })}
      </ol>
      {list.length === 0 && <p className="speakers-empty">{t('floor.emptyList')}</p>}
    </>
  );
}
