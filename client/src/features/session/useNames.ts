import { useTranslation } from 'react-i18next';
import { localized } from '../../i18n/index.js';
import { useSession } from './SessionContext.js';

/** A delegation's name in the viewer's language, by code. */
export function useDelegationName(): (code: string | null | undefined) => string {
  const { live } = useSession();
  const { i18n } = useTranslation();
  return (code) => {
    const delegation = live.delegations.find((d) => d.code === code);
    return delegation ? localized(delegation.name, i18n.language) : (code ?? '');
  };
}
