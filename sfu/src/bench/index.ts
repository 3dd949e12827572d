// What load tools outside the media node reuse from its benchmark: synthetic RTP and summaries.
export * from './rtp.js';
export * from './stats.js';
