// What load tools outside the media node reuse from its benchmark: synthetic RTP, the load
// processes and the consumer search, the SFUs behind one shape, and summaries.
export * from './cpuBudget.js';
export * from './rtp.js';
export * from './search.js';
export { mediaNodesSfu, processCpu } from './sfus.js';
export * from './stats.js';
