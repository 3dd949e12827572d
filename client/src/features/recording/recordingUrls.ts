import type { RecordingFileLink } from '@summit-bridge/protocol';
import { useState } from 'react';
import type { DocumentsSource } from '../proceedings/documentsApi.js';
import { fetchRecordingLink } from './recordingsApi.js';

/** A link this close to its expiry is not handed out: a player needs it for a while yet. */
const RENEW_BEFORE_MS = 10 * 60 * 1000;

/**
 * Links to files already asked for, one per file, while they have time left: players of the same
 * recording (the record's Play buttons) share one instead of each asking again.
 */
export class RecordingUrls {
  private links = new Map<string, Promise<RecordingFileLink>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A link to the file with time left to play. */
  async get(source: DocumentsSource, recordingId: string, file: string): Promise<RecordingFileLink> {
    const key = `${recordingId}/${file}`;
    const known = this.links.get(key);
    if (known) {
      const link = await known.catch(() => null);
      if (link && link.expiresAt - this.now() > RENEW_BEFORE_MS) return link;
      if (this.links.get(key) !== known) return this.get(source, recordingId, file);
    }
    const asked = fetchRecordingLink(source, recordingId, file);
    this.links.set(key, asked);
    // A failed request is not kept: the next Play tries again.
    asked.catch(() => {
      if (this.links.get(key) === asked) this.links.delete(key);
    });
    return asked;
  }

  /** Whether a link has expired, so that a player that failed on it should ask for another. */
  expired(link: RecordingFileLink): boolean {
    return link.expiresAt <= this.now();
  }
}

/** Links for as long as the component that holds them is mounted. */
export function useRecordingUrls(): RecordingUrls {
  const [urls] = useState(() => new RecordingUrls());
  return urls;
}
