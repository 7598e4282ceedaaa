/** ListOffsets special timestamps (Kafka's): the earliest and the latest offset of a partition. */
export const EARLIEST = -2n;
export const LATEST = -1n;
