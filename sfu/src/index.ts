export { sessionMediaCodecs } from './codecs.js';
export {
  createLocalMediaNode,
  LocalMediaNode,
  type LocalMediaNodeOptions,
  type ObjectCounts,
} from './local/LocalMediaNode.js';
export * from './MediaNode.js';
export * from './pipes.js';
export * from './placement.js';
export { recordingDir } from './recording/Recordings.js';
export { controlProof, handshakeFor, proofHolds } from './remote/proof.js';
export { RemoteMediaNode, type RemoteMediaNodeOptions } from './remote/RemoteMediaNode.js';
