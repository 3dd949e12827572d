// What a document's bytes are, read from the bytes themselves (never from a file name or a
// declared content type): a PDF by its signature, text by being valid UTF-8 without control bytes.
import type { DocumentFormat } from '@summit-bridge/protocol';

export type BodyVerdict = { ok: true; format: DocumentFormat } | { ok: false; reason: string };

const PDF_SIGNATURE = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"
/** A PDF's signature may follow a little junk (some generators write a BOM or a line first). */
const PDF_SIGNATURE_WITHIN = 1024;

function pdfSignatureAt(bytes: Uint8Array): number {
  const end = Math.min(bytes.length - PDF_SIGNATURE.length, PDF_SIGNATURE_WITHIN);
  for (let i = 0; i <= end; i++) if (PDF_SIGNATURE.every((b, j) => bytes[i + j] === b)) return i;
  return -1;
}

/** Tab, line feed, form feed and carriage return are text; other C0 controls and DEL are not. */
function hasControlBytes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/**
 * The format of a document body. `textFormat` only tells Markdown from plain text, which no byte
 * can; a body that is neither a PDF nor clean UTF-8 text is refused.
 */
export function sniffDocument(bytes: Uint8Array, textFormat: 'markdown' | 'text' = 'text'): BodyVerdict {
  if (bytes.length === 0) return { ok: false, reason: 'the document is empty' };
  if (pdfSignatureAt(bytes) !== -1) return { ok: true, format: 'pdf' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'the document is neither a PDF nor UTF-8 text' };
  }
  if (hasControlBytes(text))
    return { ok: false, reason: 'the document is neither a PDF nor plain text (binary bytes)' };
  return { ok: true, format: textFormat };
}

/** The content type a document is served with. */
export function contentTypeOf(format: DocumentFormat): string {
  switch (format) {
    case 'pdf':
      return 'application/pdf';
    case 'markdown':
      return 'text/markdown; charset=utf-8';
    case 'text':
      return 'text/plain; charset=utf-8';
  }
}
