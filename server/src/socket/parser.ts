// socket.io's own parser, with the limits our protocol allows: JSON text only (no binary
// attachments: nothing in the protocol is binary), nested at most `maxDepth`. A message past them
// closes its connection before it is parsed; what the schemas then see is already bounded.
import * as parser from 'socket.io-parser';
import { jsonDepthExceeds } from '../jsonDepth.js';

const BINARY_EVENT = '5';
const BINARY_ACK = '6';

/** What socket.io's `parser` option takes. */
export interface ParserModule {
  protocol: number;
  Encoder: typeof parser.Encoder;
  Decoder: typeof parser.Decoder;
}

export function boundedParser(maxDepth: number): ParserModule {
  class BoundedDecoder extends parser.Decoder {
    override add(packet: unknown): void {
      if (typeof packet !== 'string' || packet[0] === BINARY_EVENT || packet[0] === BINARY_ACK)
        throw new Error('binary messages are not part of this protocol');
      if (jsonDepthExceeds(packet, maxDepth)) throw new Error(`message nested deeper than ${maxDepth}`);
      super.add(packet);
    }
  }
  return { protocol: parser.protocol, Encoder: parser.Encoder, Decoder: BoundedDecoder };
}
