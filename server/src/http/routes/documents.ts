import {
  DocumentId,
  DocumentLanguage,
  DocumentUploadQuery,
  RequestError,
  VersionUploadQuery,
} from '@summit-bridge/protocol';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { contentTypeOf } from '../../domain/documentBody.js';
import type { Actor } from '../../domain/sessionMachine.js';
import { actorOf } from '../../domain/summit.js';
import type { ProceedingsService } from '../../proceedings/ProceedingsService.js';
import { parse, route } from '../errors.js';
import { callerOf, type Guards } from '../guards.js';

const base = '/summits/:summitId/sessions/:sessionId/documents';
const FileParams = z.object({
  documentId: DocumentId,
  version: z.coerce.number().int().min(1),
  language: DocumentLanguage,
});

const keyOf = (req: Request) => ({
  summitId: String(req.params.summitId),
  sessionId: String(req.params.sessionId),
});

/** Whoever the guard let through, as the proceedings record them: the admin acts as secretariat. */
function actorFor(res: Response): Actor {
  const caller = callerOf(res);
  return caller.admin
    ? { participantId: 'admin', delegation: null, role: 'secretariat' }
    : actorOf(caller.grants);
}

/**
 * A session's documents. Up: the bytes as the body (any content type: what they are is read from
 * them), title, symbol and language in the query. Down: the bytes with the type found at upload.
 */
export function documentRoutes(guards: Guards, proceedings: ProceedingsService, maxBytes: number): Router {
  const router = Router();
  const manage = guards.grant('documents.manage', 'tabling documents needs the secretariat or the chair');
  const read = guards.grant('documents.read', 'reading documents needs a token for this session');
  const body = express.raw({ type: () => true, limit: maxBytes });
  const bytesOf = (req: Request) => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0)
      throw new RequestError('invalid_payload', 'the body must be the document itself');
    return new Uint8Array(req.body);
  };

  router.get(
    base,
    read,
    route(async (req, res) => {
      res.json({ ok: true, documents: (await proceedings.state(keyOf(req))).documents });
    }),
  );
  router.post(
    base,
    manage,
    body,
    route(async (req, res) => {
      const query = parse(DocumentUploadQuery, req.query);
      const state = await proceedings.table(keyOf(req), actorFor(res), query, bytesOf(req));
      res.status(201).json({ ok: true, document: state.documents.find((d) => d.symbol === query.symbol) });
    }),
  );
  router.post(
    `${base}/:documentId/versions`,
    manage,
    body,
    route(async (req, res) => {
      const documentId = parse(DocumentId, req.params.documentId);
      const query = parse(VersionUploadQuery, req.query);
      const state = await proceedings.addVersion(keyOf(req), actorFor(res), documentId, query, bytesOf(req));
      res.status(201).json({ ok: true, document: state.documents.find((d) => d.id === documentId) });
    }),
  );
  router.put(
    `${base}/:documentId/versions/:version/files/:language`,
    manage,
    body,
    route(async (req, res) => {
      const { documentId, version, language } = parse(FileParams, req.params);
      const format = parse(VersionUploadQuery.pick({ format: true }), req.query).format;
      const state = await proceedings.addLanguage(
        keyOf(req),
        actorFor(res),
        documentId,
        version,
        { language, format },
        bytesOf(req),
      );
      res.status(201).json({ ok: true, document: state.documents.find((d) => d.id === documentId) });
    }),
  );
  router.get(
    `${base}/:documentId/versions/:version/files/:language`,
    read,
    route(async (req, res) => {
      const { documentId, version, language } = parse(FileParams, req.params);
      const file = await proceedings.body(keyOf(req), documentId, version, language);
      const name = `${file.symbol.replace(/[^A-Za-z0-9.-]+/g, '_')}-v${version}-${language}`;
      res
        .type(contentTypeOf(file.format))
        // Shown, never run: no script of ours or theirs executes in a document's origin.
        .set('Content-Security-Policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'")
        .set('Cache-Control', 'private, max-age=0, must-revalidate')
        .set(
          'Content-Disposition',
          `inline; filename="${name}.${file.format === 'pdf' ? 'pdf' : file.format === 'markdown' ? 'md' : 'txt'}"`,
        )
        .send(Buffer.from(file.bytes));
    }),
  );
  return router;
}
