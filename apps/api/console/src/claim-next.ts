import { ApiError } from './api-client.ts';
import { t } from './i18n.ts';
import type { Session } from './session.ts';
import type { FlagDetail } from './types.ts';

/** What "claim next" came to: a flag to open, nothing left, or a refusal to show. */
export type ClaimOutcome =
  | { kind: 'claimed'; flag: FlagDetail }
  | { kind: 'none'; text: string }
  | { kind: 'refused'; text: string }
  /** The session ended: the shell has already gone to sign-in. */
  | { kind: 'signedOut' };

/**
 * Claims the most urgent open flag nobody else holds (POST /api/v1/flags/claim-next). The API
 * takes it atomically, so two analysts pressing at once get two different flags; a 404 means
 * nothing is left for this analyst.
 */
export async function claimNextFlag(session: Session): Promise<ClaimOutcome> {
  try {
    const flag = await session.api.post<FlagDetail>('/api/v1/flags/claim-next', undefined);
    return { kind: 'claimed', flag };
  } catch (error) {
    if (error instanceof ApiError && error.tokenRefused) return { kind: 'signedOut' };
    if (error instanceof ApiError && error.status === 404) return { kind: 'none', text: t('claim.none') };
    return { kind: 'refused', text: t('claim.failed', { detail: (error as Error).message }) };
  }
}
