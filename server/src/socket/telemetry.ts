import { can, RequestError, type RequestName } from '@summit-bridge/protocol';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { TelemetryService } from '../telemetry/TelemetryService.js';
import { type Connection, type Handlers, type SignalingServer, telemetryRoom } from './context.js';

type TelemetryRequest = Extract<RequestName, `telemetry:${string}`>;

/** Every connection is sampled; those allowed to read telemetry also get its pushes. */
export function joinTelemetry(conn: Connection, telemetry: TelemetryService): void {
  const { sub, name, booth, delegation } = conn.grants;
  telemetry.joined(conn.key, conn.socket.id, delegation, booth ? { participantId: sub, name, booth } : null);
  if (can(conn.grants.role, 'telemetry.read')) void conn.socket.join(telemetryRoom(conn.key));
}

export function leaveTelemetry(conn: Connection, telemetry: TelemetryService): void {
  telemetry.left(conn.key, conn.socket.id);
}

/** Samples and alerts go to the session's technicians (and secretariat) only. */
export function pushTelemetryEvents(io: SignalingServer, telemetry: TelemetryService): void {
  telemetry.on('sample', (key, sample) => io.to(telemetryRoom(key)).emit('telemetry:sample', sample));
  telemetry.on('alert', (key, alert) => io.to(telemetryRoom(key)).emit('telemetry:alert', alert));
}

export function telemetryHandlers(
  io: SignalingServer,
  telemetry: TelemetryService,
  media: MediaSessions,
): Handlers<TelemetryRequest> {
  return {
    'telemetry:report': async (conn, report) => {
      telemetry.report(conn.key, conn.socket.id, report);
      return {};
    },
    'telemetry:snapshot': (conn) => telemetry.snapshot(conn.key),
    'telemetry:acknowledge': async (conn, { alertId }) => ({
      alert: await telemetry.acknowledge(conn.key, alertId, conn.actor),
    }),
    'telemetry:restartIce': async (conn, { delegation }) => {
      // Every instance's sockets of the session, through the adapter.
      const site = (await io.in(conn.room).fetchSockets()).filter(
        (s) => s.data.grants.delegation === delegation,
      );
      if (site.length === 0) throw new RequestError('not_found', `${delegation} has no connection`);
      for (const socket of site) socket.emit('media:restartIce', {});
      await telemetry.record(conn.key, 'iceRestartRequested', conn.actor, delegation, {
        connections: site.length,
      });
      return { connections: site.length };
    },
    'telemetry:limitLayer': async (conn, { delegation, spatialLayer }) => {
      await media.limitLayer(conn.key, delegation, spatialLayer);
      await telemetry.record(conn.key, 'layerLimited', conn.actor, delegation, { spatialLayer });
      return {};
    },
  };
}
