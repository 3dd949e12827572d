// The producers of every session, as all signaling instances must see them: the snapshot and
// media:consume work on whichever instance a participant reached. In one process a map; in a
// cluster a Redis hash per session.
import { ProducerInfo } from '@summit-bridge/protocol';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type SessionKey, sessionKeyId } from '../domain/sessionKey.js';

export const ProducerRecord = z.object({
  info: ProducerInfo,
  /** The media node that holds it. */
  nodeId: z.string(),
  /** The connection (socket id) that produced it: the peer at the node. */
  connectionId: z.string(),
  /** The signaling instance of that connection: the one that manages its pause state. */
  instanceId: z.string(),
  /** A camera shown from the lobby: seen by the staff who admit, by nobody else. */
  lobby: z.boolean().optional(),
});
export type ProducerRecord = z.infer<typeof ProducerRecord>;

export interface ProducerDirectory {
  put(key: SessionKey, record: ProducerRecord): Promise<void>;
  get(key: SessionKey, producerId: string): Promise<ProducerRecord | null>;
  list(key: SessionKey): Promise<ProducerRecord[]>;
  /** Removes it; true for the one caller that did, so that only one tells everybody. */
  remove(key: SessionKey, producerId: string): Promise<boolean>;
}

export class MemoryProducerDirectory implements ProducerDirectory {
  private readonly sessions = new Map<string, Map<string, ProducerRecord>>();

  async put(key: SessionKey, record: ProducerRecord): Promise<void> {
    const id = sessionKeyId(key);
    const records = this.sessions.get(id) ?? new Map<string, ProducerRecord>();
    records.set(record.info.producerId, structuredClone(record));
    this.sessions.set(id, records);
  }

  async get(key: SessionKey, producerId: string): Promise<ProducerRecord | null> {
    const record = this.sessions.get(sessionKeyId(key))?.get(producerId);
    return record ? structuredClone(record) : null;
  }

  async list(key: SessionKey): Promise<ProducerRecord[]> {
    return [...(this.sessions.get(sessionKeyId(key))?.values() ?? [])].map((r) => structuredClone(r));
  }

  async remove(key: SessionKey, producerId: string): Promise<boolean> {
    const id = sessionKeyId(key);
    const records = this.sessions.get(id);
    const removed = records?.delete(producerId) ?? false;
    if (records?.size === 0) this.sessions.delete(id);
    return removed;
  }
}

/** One hash per session, `{summit}` as the cluster hash tag like the rest of a summit's keys. */
export class RedisProducerDirectory implements ProducerDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private hash({ summitId, sessionId }: SessionKey): string {
    return `${this.prefix}{${summitId}}:producers:${sessionId}`;
  }

  async put(key: SessionKey, record: ProducerRecord): Promise<void> {
    await this.redis.hset(this.hash(key), record.info.producerId, JSON.stringify(record));
  }

  async get(key: SessionKey, producerId: string): Promise<ProducerRecord | null> {
    const raw = await this.redis.hget(this.hash(key), producerId);
    return raw ? parse(raw) : null;
  }

  async list(key: SessionKey): Promise<ProducerRecord[]> {
    const all = await this.redis.hvals(this.hash(key));
    return all.flatMap((raw) => {
      const record = parse(raw);
      return record ? [record] : [];
    });
  }

  async remove(key: SessionKey, producerId: string): Promise<boolean> {
    return (await this.redis.hdel(this.hash(key), producerId)) === 1;
  }
}

function parse(raw: string): ProducerRecord | null {
  try {
    const parsed = ProducerRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
