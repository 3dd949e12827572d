export { sessionMediaCodecs } from './codecs.js';
