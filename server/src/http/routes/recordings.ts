import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RequestError } from '@summit-bridge/protocol';
import { type Request, type RequestHandler, Router } from 'express';
import {
  FILE_LINK_TTL_MS,
  type FileLinkCheck,
  type FileTarget,
  signFileLink,
  verifyFileLink,
} from '../../recording/fileLinks.js';
import type { RecordingService } from '../../recording/RecordingService.js';
import { dirOf, listRecordings, readManifest, servableFile } from '../../recording/recordingFiles.js';
import type { InvitationStore } from '../../store/StateStore.js';
import { route } from '../errors.js';
import { callerOf, type Guards } from '../guards.js';

export interface RecordingRouteDeps {
  guards: Guards;
  /** RECORDING_DIR. */
  root: string;
  recordings: RecordingService;
  /** Signs and checks file links. */
  jwtSecret: string;
  store: Pick<InvitationStore, 'isRevoked'>;
}

const linkRefusals: Record<Exclude<FileLinkCheck, { ok: true }>['reason'], RequestError> = {
  malformed: new RequestError('unauthenticated', 'the link is not a recording link'),
  bad_signature: new RequestError('unauthenticated', 'the link was not made by this server'),
  expired: new RequestError('unauthenticated', 'the link has expired: open the recording again'),
  another_file: new RequestError('forbidden', 'the link is for another file'),
};

/**
 * GET …/sessions/:sessionId/recordings (the session's recordings, their tracks and gaps) and
 * …/recordings/:recordingId/files/:file (one file, with Range for players that seek). For the
 * secretariat and the chairs, like the record of the meeting; no directory is ever listed. POST
 * …/files/:file/link gives them a link to one file that a player or a download can use without
 * the token (`?link=`, see fileLinks.ts). POST …/recordings/:recordingId/compose makes the one
 * file again.
 */
export function recordingRoutes({ guards, root, recordings, jwtSecret, store }: RecordingRouteDeps): Router {
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
  const targetOf = (req: Request): FileTarget => ({
    ...keyOf(req.params),
    recordingId: String(req.params.recordingId),
    file: String(req.params.file),
  });
  /** The file's path, once it is known to be a servable file of a recording that exists. */
  const fileOf = async (target: FileTarget): Promise<string> => {
    if (!servableFile.test(target.file)) throw new RequestError('not_found', 'no such recording file');
    let dir: string;
    try {
      dir = dirOf(root, target, target.recordingId);
    } catch {
      throw new RequestError('not_found', 'no such recording');
    }
    if (!(await readManifest(dir))) throw new RequestError('not_found', 'no such recording');
    return join(dir, target.file);
  };
  // A media element sends no header: with `?link=` the link is the credential, and nothing else.
  const readOrLink: RequestHandler = (req, res, next) => {
    const { link } = req.query;
    if (link === undefined) return read(req, res, next);
    const check = async () => {
      const checked =
        typeof link === 'string'
          ? verifyFileLink(link, jwtSecret, targetOf(req))
          : ({ ok: false, reason: 'malformed' } as const);
      if (!checked.ok) return guards.refuse(req, linkRefusals[checked.reason]);
      if (checked.claims.by !== null && (await store.isRevoked(checked.claims.by))) {
        guards.refuse(req, new RequestError('unauthenticated', 'the token that made this link was revoked'));
      }
    };
    check().then(() => next(), next);
  };
  router.get(
    '/summits/:summitId/sessions/:sessionId/recordings/:recordingId/files/:file',
    readOrLink,
    route(async (req, res) => {
      const path = await fileOf(targetOf(req));
      await new Promise<void>((resolve, reject) =>
        res.sendFile(path, { dotfiles: 'deny', maxAge: 0 }, (err) => {
          if (!err) resolve();
          else if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent)
            reject(new RequestError('not_found', 'no such recording file'));
          else reject(err);
        }),
      );
    }),
  );
  router.post(
    '/summits/:summitId/sessions/:sessionId/recordings/:recordingId/files/:file/link',
    read,
    route(async (req, res) => {
      const target = targetOf(req);
      const found = await stat(await fileOf(target)).catch(() => null);
      if (!found?.isFile()) throw new RequestError('not_found', 'no such recording file');
      const caller = callerOf(res);
      // Never longer than the token that asks for it.
      const expiresAt = Math.min(
        Date.now() + FILE_LINK_TTL_MS,
        caller.admin ? Number.POSITIVE_INFINITY : caller.grants.exp * 1000,
      );
      const link = signFileLink(
        { ...target, exp: expiresAt, by: caller.admin ? null : caller.grants.jti },
        jwtSecret,
      );
      const path = req.originalUrl.split('?')[0]?.replace(/\/link$/, '') ?? '';
      res.set('cache-control', 'no-store');
      res.json({ ok: true, url: `${path}?link=${link}`, expiresAt });
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
