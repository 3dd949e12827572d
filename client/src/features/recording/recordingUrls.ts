import { useEffect, useState } from 'react';
import type { DocumentsSource } from '../proceedings/documentsApi.js';
import { fetchRecordingFile } from './recordingsApi.js';

/**
 * Composed files fetched so far, as object URLs, one per recording (a recording has one composed
 * file). A file runs to hundreds of megabytes and comes whole, so players of the same recording
 * share it instead of each fetching it again.
 */
export class RecordingUrls {
  private urls = new Map<string, Promise<string>>();
  private made: string[] = [];
  private controller = new AbortController();

  get(source: DocumentsSource, recordingId: string, file: string): Promise<string> {
    const known = this.urls.get(recordingId);
    if (known) return known;
    const { signal } = this.controller;
    const url = fetchRecordingFile(source, recordingId, file, signal).then((blob) => {
      // Cleared while the last bytes came: nobody is left to play them.
      if (signal.aborted) throw signal.reason;
      const made = URL.createObjectURL(blob);
      this.made.push(made);
      return made;
    });
    this.urls.set(recordingId, url);
    // A failed download is not kept: the next Play tries again.
    url.catch(() => {
      if (this.urls.get(recordingId) === url) this.urls.delete(recordingId);
    });
    return url;
  }

  /**
   * Stops the downloads and lets the browser free the bytes. The cache stays usable: React's
   * strict mode unmounts and mounts a component once more before it is used.
   */
  clear(): void {
    this.controller.abort();
    this.controller = new AbortController();
    for (const url of this.made) URL.revokeObjectURL(url);
    this.made = [];
    this.urls.clear();
  }
}

/** A cache of composed files for as long as the component that holds it is mounted. */
export function useRecordingUrls(): RecordingUrls {
  const [urls] = useState(() => new RecordingUrls());
  useEffect(() => () => urls.clear(), [urls]);
  return urls;
}

/** The download given up by `clear` (not a failure to tell anyone of). */
export const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';
