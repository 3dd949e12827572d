import { join } from 'node:path';
import { RequestError } from '@summit-bridge/protocol';
import { Router } from 'express';
import type { RecordingService } from '../../recording/RecordingService.js';
import { dirOf, listRecordings, readManifest, servableFile } from '../../recording/recordingFiles.js';
import { route } from '../errors.js';
import type { Guards } from '../guards.js';

/**
 * GET …/sessions/:sessionId/recordings (the session's recordings, their tracks and gaps) and
 * …/recordings/:recordingId/files/:file (one file, with Range for players that seek). For the
 * secretariat and the chairs, like the record of the meeting; no directory is ever listed. POST
 * …/recordings/:recordingId/compose makes the one file again.
 */
export function recordingRoutes(guards: Guards, root: string, recordings: RecordingService): Router {
  const router = Router();
  const read = guards.grant('record.read', 'recordings are for the secretariat and the chair');
  const control = guards.grant(
    'recording.control',
    'recordings are composed by the secretariat and the chair',
  );
  const keyOf = (params: Record<string, string | string[] | undefined>) => ({
    summitId: String(params.summitId),
    sessionId: String(params.sessionId),
  });
  router.get(
    '/summits/:summitId/sessions/:sessionId/recordings',
    read,
    route(async (req, res) => {
      res.json({ ok: true, recordings: await listRecordings(root, keyOf(req.params)) });
    }),
  );
  router.get(
    '/summits/:summitId/sessions/:sessionId/recordings/:recordingId/files/:file',
    read,
    route(async (req, res) => {
      const file = String(req.params.file);
      if (!servableFile.test(file)) throw new RequestError('not_found', 'no such recording file');
      let dir: string;
      try {
        dir = dirOf(root, keyOf(req.params), String(req.params.recordingId));
      } catch {
        throw new RequestError('not_found', 'no such recording');
      }
      if (!(await readManifest(dir))) throw new RequestError('not_found', 'no such recording');
      await new Promise<void>((resolve, reject) =>
        res.sendFile(join(dir, file), { dotfiles: 'deny', maxAge: 0 }, (err) => {
          if (!err) resolve();
          else if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent)
            reject(new RequestError('not_found', 'no such recording file'));
          else reject(err);
        }),
      );
    }),
  );
  // Composes the one file again (after a failure, or an instance lost while composing).
  router.post(
    '/summits/:summitId/sessions/:sessionId/recordings/:recordingId/compose',
    control,
    route(async (req, res) => {
      const recording = await recordings.compose(keyOf(req.params), String(req.params.recordingId));
      res.json({ ok: true, recording });
    }),
  );
  return router;
}
