// The ProceedingsStore part of the contract, run against MemoryStore and RedisStore.
import type { ProceedingsState } from '@summit-bridge/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { applyProceedings, initialProceedings } from '../../src/domain/proceedings.js';
import type { StateStore } from '../../src/store/StateStore.js';
import { chair, doc } from '../domain/meeting.js';
import { pctx, tabled } from '../domain/proceedingsMeeting.js';
import type { OpenStore } from './contract.js';

const T = Date.parse('2020-04-09T02:00:00Z');

/** The SOM's proceedings with REC.1 put to adoption until T + `ms`. */
function adopting(ms: number): ProceedingsState {
  const result = applyProceedings(
    tabled(),
    { type: 'openAdoption', documentId: 'd1', version: 1, mode: 'in_session', durationMs: ms },
    chair,
    pctx,
    T,
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.state;
}

export function proceedingsStoreContract(name: string, open: OpenStore): void {
  describe(`${name} (ProceedingsStore contract)`, () => {
    const opened: StateStore[] = [];
    const fresh = async () => {
      const store = await open();
      opened.push(store);
      await store.putSummit(doc);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('creates, updates and reads a session’s proceedings, refusing a version that does not advance', async () => {
      const store = await fresh();
      expect(await store.getProceedings('asean-2020', 'som')).toBeNull();
      await store.updateProceedings('asean-2020', 'som', () => ({ state: tabled(), result: null }));
      expect(await store.getProceedings('asean-2020', 'som')).toEqual(tabled());
      expect(await store.getProceedings('asean-2020', 'acc')).toBeNull();
      await expect(
        store.updateProceedings('asean-2020', 'som', (s) => ({
          state: s && { ...s, onScreen: null, documents: [] },
          result: null,
        })),
      ).rejects.toThrow(/version/);
      const same = await store.updateProceedings('asean-2020', 'som', (s) => ({ state: s, result: 'same' }));
      expect(same).toBe('same');
    });

    it('serializes concurrent updates: none is lost', async () => {
      const store = await fresh();
      await store.updateProceedings('asean-2020', 'som', () => ({
        state: initialProceedings('som'),
        result: null,
      }));
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.updateProceedings('asean-2020', 'som', (s) => ({
            state: s && { ...s, version: s.version + 1 },
            result: null,
          })),
        ),
      );
      expect((await store.getProceedings('asean-2020', 'som'))?.version).toBe(20);
    });

    it('indexes each session’s next deadline with its state, and forgets it once nothing is open', async () => {
      const store = await fresh();
      await store.updateProceedings('asean-2020', 'som', () => ({ state: adopting(60_000), result: null }));
      expect(await store.dueProceedings(T + 59_999)).toEqual([]);
      expect(await store.dueProceedings(T + 60_000)).toEqual([{ summitId: 'asean-2020', sessionId: 'som' }]);
      await store.updateProceedings('asean-2020', 'som', (s) => {
        if (!s) throw new Error('no state');
        const closed = applyProceedings(s, { type: 'tick', present: [] }, null, pctx, T + 60_000);
        if (!closed.ok) throw new Error(closed.error.message);
        return { state: closed.state, result: null };
      });
      expect(await store.dueProceedings(T + 3_600_000)).toEqual([]);
    });

    it('keeps document bodies by their hash, byte for byte', async () => {
      const store = await fresh();
      const body = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x80]);
      const sha = 'f'.repeat(64);
      await store.putDocumentBody('asean-2020', 'som', sha, body);
      expect(await store.getDocumentBody('asean-2020', 'som', sha)).toEqual(body);
      expect(await store.getDocumentBody('asean-2020', 'acc', sha)).toBeNull();
      expect(await store.getDocumentBody('asean-2020', 'som', 'e'.repeat(64))).toBeNull();
    });
  });
}
