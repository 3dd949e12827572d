import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import type { Notices } from '../../shared/notices.js';
import type { SessionApi } from './SessionContext.js';
import type { SessionController } from './SessionController.js';

/** The consoles' `request`: a refusal is shown to the participant as a notice and resolves to null. */
export function useShownRequest(controller: SessionController, notices: Notices): SessionApi['request'] {
  const { t } = useTranslation();
  return useMemo(
    () => async (name, payload) => {
      try {
        return await controller.signaling.request(name, payload);
      } catch (error) {
        notices.show(errorText(t, error));
        return null;
      }
    },
    [controller, notices, t],
  );
}
