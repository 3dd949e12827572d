import { z } from 'zod';
import { DelegationCode, ParticipantId } from './ids.js';

// Link-quality telemetry: what each client measures, the per-site samples technicians watch,
// their history, and the alerts raised from them. A "site" is a delegation of the session.

/** Every number a site's sample carries, one value per 2-s sample (null: nothing to measure). */
export const metricNames = [
  /** Round trip to the media server, ms: the client's candidate pair, else the SFU's RTCP. */
  'rttMs',
  /** Packets lost on the way to the site, %. */
  'lossInPct',
  /** Packets lost on the way from the site to the media server, %. */
  'lossOutPct',
  /** Jitter of what the site receives (client), else of what it sends (SFU), ms. */
  'jitterMs',
  /** What the media server sends to the site, kbit/s. */
  'bitrateInKbps',
  /** What the media server receives from the site, kbit/s. */
  'bitrateOutKbps',
  /** The media server's estimate of the bandwidth towards the site, kbit/s. */
  'availableInKbps',
  /** The site's camera as the media server receives it, every layer, kbit/s. */
  'cameraKbps',
  /** The lowest score (0-10) of the site's producers at the media server. */
  'producerScore',
  /** The lowest score (0-10) of what the media server sends to the site. */
  'consumerScore',
  /** Frames per second the site's camera encoder sends (its highest layer). */
  'sendFps',
  /** Video freezes the site's viewer saw in the last sample interval. */
  'freezes',
  /** Retransmission requests (NACK) from the site per second. */
  'nackPerSec',
  /** Key-frame requests (PLI) from the site per second. */
  'pliPerSec',
  /** Spatial layer (0 low … 2 high) of the video the site's stage receives. */
  'stageLayer',
] as const;
export const MetricName = z.enum(metricNames);
export type MetricName = z.infer<typeof MetricName>;

export const MetricValues = z.object(
  Object.fromEntries(metricNames.map((m) => [m, z.number().nullable()])) as Record<
    MetricName,
    z.ZodNullable<z.ZodNumber>
  >,
);
export type MetricValues = z.infer<typeof MetricValues>;

/** How a site's media reaches the server: straight over UDP, over TCP, or through a TURN relay. */
export const IcePath = z.enum(['udp', 'tcp', 'relay']);
export type IcePath = z.infer<typeof IcePath>;

/** `absent`: never connected since the server started sampling; `disconnected`: was, and is not. */
export const SiteConnection = z.enum(['connected', 'connecting', 'disconnected', 'absent']);
export type SiteConnection = z.infer<typeof SiteConnection>;

export const QualityLimitation = z.enum(['none', 'cpu', 'bandwidth', 'other']);

/** What a site's camera encoder is sending right now, from its browser. */
export const CameraSend = z.object({
  width: z.number().int().min(0).max(8192),
  height: z.number().int().min(0).max(8192),
  fps: z.number().min(0).max(240),
  qualityLimitation: QualityLimitation,
});
export type CameraSend = z.infer<typeof CameraSend>;

export const SiteSample = z.object({
  delegation: DelegationCode,
  connection: SiteConnection,
  path: IcePath.nullable(),
  camera: CameraSend.nullable(),
  /** When the site last came back after a disconnection (ms since the epoch). */
  lastReconnectAt: z.number().nullable(),
  /** The highest spatial layer a technician lets the site receive; null: no limit. */
  layerLimit: z.number().int().min(0).max(2).nullable(),
  values: MetricValues,
});
export type SiteSample = z.infer<typeof SiteSample>;

/**
 * An interpreter's link, sampled as a site's is (interpreters speak for no delegation, so they
 * are not sites): what technicians watch beside each booth.
 */
export const InterpreterSample = z.object({
  participantId: ParticipantId,
  name: z.string(),
  booth: z.string(),
  connection: SiteConnection,
  path: IcePath.nullable(),
  values: MetricValues,
});
export type InterpreterSample = z.infer<typeof InterpreterSample>;

/** One sampling round of a session: every site, in precedence order, and the interpreters here. */
export const TelemetrySample = z.object({
  at: z.number(),
  sites: z.array(SiteSample),
  interpreters: z.array(InterpreterSample).default([]),
});
export type TelemetrySample = z.infer<typeof TelemetrySample>;

// ---- what a client reports every 2 s (telemetry:report) ---------------------------------------

const ms = z.number().min(0).max(60_000);

export const ClientTransportReport = z.strictObject({
  direction: z.enum(['send', 'recv']),
  state: z.enum(['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed']),
  /** The selected candidate pair's current round trip. */
  rttMs: ms.nullable(),
  localCandidate: z.enum(['host', 'srflx', 'prflx', 'relay']).nullable(),
  protocol: z.enum(['udp', 'tcp']).nullable(),
  /** How the client reaches its TURN server, for a relay candidate. */
  relayProtocol: z.enum(['udp', 'tcp', 'tls']).nullable(),
});

/** Computed by the client over the interval since its previous report. */
export const ClientReport = z.strictObject({
  transports: z.array(ClientTransportReport).max(4),
  camera: CameraSend.nullable(),
  inbound: z
    .strictObject({
      lossPct: z.number().min(0).max(100),
      jitterMs: ms,
      freezes: z.number().int().min(0).max(1000),
    })
    .nullable(),
});
export type ClientReport = z.infer<typeof ClientReport>;

// ---- alert rules and alerts -------------------------------------------------------------------

/**
 * When a site is in trouble. `above`/`below` have hysteresis: raised past `raise`, cleared only
 * back past `clear` (so a value wavering around one threshold does not flap the alert).
 */
export const AlertCondition = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('above'), metric: MetricName, raise: z.number(), clear: z.number() }),
  z.strictObject({ type: z.literal('below'), metric: MetricName, raise: z.number(), clear: z.number() }),
  z.strictObject({ type: z.literal('path'), paths: z.array(IcePath).min(1) }),
  z.strictObject({ type: z.literal('connection'), states: z.array(SiteConnection).min(1) }),
]);
export type AlertCondition = z.infer<typeof AlertCondition>;

export const AlertRule = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(32)
      .regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'rule id: letters and digits'),
    severity: z.enum(['warning', 'critical']),
    condition: AlertCondition,
    /** The condition must hold this long before the alert is raised. */
    raiseAfterMs: z.number().int().min(0).max(3_600_000),
    /** The condition must be over this long before the alert clears. */
    clearAfterMs: z.number().int().min(0).max(3_600_000),
  })
  .refine(
    ({ condition: c }) =>
      c.type === 'above' ? c.clear <= c.raise : c.type === 'below' ? c.clear >= c.raise : true,
    { message: 'the clear threshold must lie on the healthy side of the raise threshold' },
  );
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertRules = z
  .array(AlertRule)
  .max(64)
  .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, {
    message: 'rule ids must be unique',
  });

export const Alert = z.object({
  id: z.string().min(1).max(128),
  rule: z.string(),
  severity: z.enum(['warning', 'critical']),
  delegation: DelegationCode,
  raisedAt: z.number(),
  /** The value that raised it (a metric's value; null for a path or connection rule). */
  value: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
  acknowledgedBy: ParticipantId.nullable(),
  clearedAt: z.number().nullable(),
});
export type Alert = z.infer<typeof Alert>;

// ---- history (GET …/telemetry) ------------------------------------------------------------------

/** The last hour at 2-s resolution, or the last 48 h as 1-min min/avg/max. */
export const TelemetryRange = z.enum(['1h', '48h']);
export type TelemetryRange = z.infer<typeof TelemetryRange>;

const column = z.array(z.number().nullable());

/** Columns, as charts draw them: `at[i]` goes with `metrics[m].avg[i]` (and `min`/`max` for 48 h). */
export const TelemetryHistory = z.object({
  ok: z.literal(true),
  site: DelegationCode,
  range: TelemetryRange,
  stepMs: z.number().int(),
  at: z.array(z.number()),
  metrics: z.partialRecord(
    MetricName,
    z.object({ avg: column, min: column.optional(), max: column.optional() }),
  ),
});
export type TelemetryHistory = z.infer<typeof TelemetryHistory>;

/** What a technician console loads once, then keeps current with telemetry:sample and telemetry:alert. */
export const TelemetrySnapshot = z.object({
  rules: z.array(AlertRule),
  alerts: z.array(Alert),
  latest: TelemetrySample.nullable(),
});
export type TelemetrySnapshot = z.infer<typeof TelemetrySnapshot>;
