import type { Express } from 'express';
import { requireAuth } from '@chatroulette/http';
import { apiPaths } from '@chatroulette/contracts';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { MediaContext } from '../context.js';
import { deleteFileRoute } from './delete-file.js';
import { downloadRoute } from './download.js';
import { uploadRoute } from './upload.js';

/** The media service's REST routes: upload and delete need a token, the download path does not. */
export function mountRoutes(app: Express, ctx: MediaContext, verify: TokenVerifier): void {
  const auth = requireAuth(verify);
  app.post(apiPaths.upload, auth, uploadRoute(ctx));
  app.delete(`${apiPaths.uploads}/:file_id`, auth, deleteFileRoute(ctx));
  app.get(`${apiPaths.files}/:user_id/:file_id`, downloadRoute(ctx));
}
