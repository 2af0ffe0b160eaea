import type { ReportAnswer, ReportInput, RouletteState, RouletteStatus, SaveAnswer, SearchBody, SkipBody } from '@chatroulette/contracts';
import { paths } from '../contract.js';
import { seg, type Http } from '../http.js';

/** The chatroulette. A match also comes as `chatroulette_match` on every socket of the user. */
export function rouletteApi(http: Http) {
  const base = paths.chatroulette;
  return {
    /** POST /chatroulette/search: `matched` when a partner waits, else `searching`. */
    search: (body: SearchBody = {}) => http<RouletteState>('POST', `${base}/search`, { body }),
    /** DELETE /chatroulette/search */
    cancel: () => http<RouletteState>('DELETE', `${base}/search`),
    /** GET /chatroulette/status */
    status: () => http<RouletteStatus>('GET', `${base}/status`),
    /** POST /chatroulette/{id}/skip: the partner gets `chatroulette_left`; `requeue` searches again. */
    skip: (chatId: string, body: SkipBody = {}) => http<RouletteState>('POST', `${base}/${seg(chatId)}/skip`, { body }),
    /** POST /chatroulette/{id}/save: 409 already saved. */
    save: (chatId: string) => http<SaveAnswer>('POST', `${base}/${seg(chatId)}/save`),
    /**
     * POST /chatroulette/{id}/report: 201; the partner is blocked for the caller and the match ends
     * (a skip). 403 not a participant; 409 already reported by the caller.
     */
    report: (chatId: string, body: ReportInput) => http<ReportAnswer>('POST', `${base}/${seg(chatId)}/report`, { body }),
  };
}
