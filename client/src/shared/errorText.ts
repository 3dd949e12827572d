import { errorCodes, RequestError } from '@summit-bridge/protocol';
import type { TFunction } from 'i18next';

/** A failure as a participant reads it: what happened in their language, the server's words after. */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof RequestError && errorCodes.includes(error.code)) {
    return t('errors.detail', { summary: t(`errors.${error.code}`), detail: error.message });
  }
  return error instanceof Error ? error.message : String(error);
}
