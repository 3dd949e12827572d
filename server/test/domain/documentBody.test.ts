import { describe, expect, it } from 'vitest';
import { sniffDocument } from '../../src/domain/documentBody.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('document bodies, by their bytes', () => {
  it('finds a PDF by its signature, whatever it claims', () => {
    expect(sniffDocument(bytes('%PDF-1.4\n%âãÏÓ\n1 0 obj'), 'markdown')).toEqual({ ok: true, format: 'pdf' });
  });

  it('takes UTF-8 text as Markdown or plain text, as declared', () => {
    expect(sniffDocument(bytes('# Chủ tịch\n\nRecommendations'), 'markdown')).toEqual({
      ok: true,
      format: 'markdown',
    });
    expect(sniffDocument(bytes('Plain\ttext\r\n'))).toEqual({ ok: true, format: 'text' });
  });

  it('refuses binaries, invalid UTF-8 and empty bodies', () => {
    expect(sniffDocument(new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03])).ok).toBe(false);
    expect(sniffDocument(new Uint8Array([0xff, 0xfe, 0x41])).ok).toBe(false);
    expect(sniffDocument(bytes('PK\u0003\u0004zip')).ok).toBe(false);
    expect(sniffDocument(new Uint8Array()).ok).toBe(false);
  });
});
