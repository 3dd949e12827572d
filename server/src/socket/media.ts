// The media requests, and the media service's events as pushes to the sockets that must hear them.
import type { RequestName } from '@summit-bridge/protocol';
import type { MediaPeer, MediaSessions } from '../media/MediaSessions.js';
import { iceServersFor, type TurnConfig } from '../media/turnCredentials.js';
import {
  type Connection,
  type Handlers,
  type SignalingServer,
  sessionRoom,
  telemetryRoom,
} from './context.js';

type MediaRequest = Extract<RequestName, `media:${string}`>;

/** A connection as the media service knows it: one peer at the node. */
export const mediaPeerOf = (conn: Connection): MediaPeer => ({
  key: conn.key,
  connectionId: conn.socket.id,
  participantId: conn.grants.sub,
  delegation: conn.grants.delegation,
  role: conn.grants.role,
  booth: conn.grants.booth ?? null,
  // Read at each request: a connection admitted from the lobby stops waiting.
  waiting: conn.socket.data.waiting,
});

export function mediaHandlers(media: MediaSessions, turn: TurnConfig | undefined): Handlers<MediaRequest> {
  return {
    'media:capabilities': async (conn) => ({ routerRtpCapabilities: await media.capabilities(conn.key) }),
    'media:createTransport': async (conn, { direction, forceTcp }) => {
      const transport = await media.createTransport(mediaPeerOf(conn), { direction, forceTcp });
      if (!turn) return transport;
      // Every transport carries its relay: a site behind a firewall falls back to it on its own.
      const { iceServers, validForSec } = iceServersFor(turn, conn.grants.sub, Date.now());
      return { ...transport, iceServers, iceServersValidForSec: validForSec };
    },
    'media:iceServers': async (conn) => iceServersFor(turn, conn.grants.sub, Date.now()),
    'media:connectTransport': async (conn, { transportId, dtlsParameters }) => {
      await media.connectTransport(mediaPeerOf(conn), transportId, dtlsParameters);
      return {};
    },
    'media:closeTransport': async (conn, { transportId }) => {
      await media.closeTransport(mediaPeerOf(conn), transportId);
      return {};
    },
    'media:restartIce': async (conn, { transportId }) => ({
      iceParameters: await media.restartIce(mediaPeerOf(conn), transportId),
    }),
    'media:produce': async (conn, { transportId, rtpParameters, source }) => ({
      producerId: await media.produce(mediaPeerOf(conn), { transportId, rtpParameters, source }),
    }),
    'media:pauseProducer': async (conn, { producerId }) => {
      await media.setOwnPause(mediaPeerOf(conn), producerId, true);
      return {};
    },
    'media:resumeProducer': async (conn, { producerId }) => {
      await media.setOwnPause(mediaPeerOf(conn), producerId, false);
      return {};
    },
    'media:closeProducer': async (conn, { producerId }) => {
      await media.closeProducer(mediaPeerOf(conn), producerId);
      return {};
    },
    'media:consume': (conn, { transportId, producerId, rtpCapabilities }) =>
      media.consume(mediaPeerOf(conn), transportId, producerId, rtpCapabilities),
    'media:resumeConsumer': async (conn, { consumerId }) => {
      await media.resumeConsumer(mediaPeerOf(conn), consumerId);
      return {};
    },
    'media:pauseConsumer': async (conn, { consumerId }) => {
      await media.pauseConsumer(mediaPeerOf(conn), consumerId);
      return {};
    },
    'media:setPreferredLayers': async (conn, { consumerId, spatialLayer, temporalLayer }) => {
      const wanted = temporalLayer === undefined ? { spatialLayer } : { spatialLayer, temporalLayer };
      await media.setPreferredLayers(mediaPeerOf(conn), consumerId, wanted);
      return {};
    },
  };
}

/** Pushes what the media service reports: to the session's room, or to one connection (its socket id). */
export function pushMediaEvents(io: SignalingServer, media: MediaSessions): void {
  media.on('producerAdded', (key, info) => io.to(sessionRoom(key)).emit('media:producerAdded', info));
  media.on('producerUpdated', (key, info) => io.to(sessionRoom(key)).emit('media:producerUpdated', info));
  media.on('producerClosed', (key, producerId, reason) =>
    io.to(sessionRoom(key)).emit('media:producerClosed', reason ? { producerId, reason } : { producerId }),
  );
  media.on('consumerClosed', (connectionId, consumerId) =>
    io.to(connectionId).emit('media:consumerClosed', { consumerId }),
  );
  media.on('consumerLayers', (connectionId, consumerId, layers) =>
    io.to(connectionId).emit('media:consumerLayers', { consumerId, layers }),
  );
  media.on('activeSpeaker', (key, delegation) =>
    io.to(sessionRoom(key)).emit('media:activeSpeaker', { delegation }),
  );
  media.on('boothLevels', (key, levels) =>
    io.to(telemetryRoom(key)).emit('booth:levels', { levels, at: Date.now() }),
  );
  media.on('mustReconnect', (connectionIds, reason) => {
    for (const id of connectionIds) io.to(id).emit('media:reconnect', { reason });
  });
}
