/**
 * Reads the topic list out of a member's "consumer" protocol metadata (the Subscription
 * every Kafka consumer sends in JoinGroup). Every version starts with the v0 prefix:
 *
 *   Subscription => version:int16 topics:[string] ...
 *     string => length:int16 bytes   (array => count:int32 items)
 *
 * so the coordinator only decodes that prefix and ignores the rest (user data, owned
 * partitions, rack), which keeps it independent of future versions.
 */

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The subscribed topics, or null if the bytes are not a consumer subscription. */
export function decodeSubscriptionTopics(metadata: Buffer): string[] | null {
  if (metadata.length < 6) return null;
  const version = metadata.readInt16BE(0);
  if (version < 0) return null;
  const count = metadata.readInt32BE(2);
  if (count < 0) return null;
  const topics: string[] = [];
  let at = 6;
  for (let i = 0; i < count; i++) {
    if (at + 2 > metadata.length) return null;
    const length = metadata.readInt16BE(at);
    at += 2;
    if (length < 0 || at + length > metadata.length) return null;
    topics.push(metadata.toString('utf8', at, at + length));
    at += length;
  }
  return topics;
}
