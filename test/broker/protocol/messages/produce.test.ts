import { test } from 'node:test';
import { checkRequestFixture, hex } from '../fixture.ts';

// The records bytes are opaque to the codec (record batches are parsed in src/broker/log),
// so short stand-ins keep the fixtures readable.

test('Produce v3 request: nullable transactional id, RECORDS as NULLABLE_BYTES', () => {
  const bytes = hex`
    00 00 00 34         # size 52
    00 00 00 03         # Produce v3
    00 00 00 0b         # correlation_id 11
    00 04 "kcat"        # client_id
    ff ff               # transactional_id: null
    ff ff               # acks -1
    00 00 75 30         # timeout_ms 30000
    00 00 00 01         # topic_data: ARRAY of 1
    00 04 "logs"        #   name
    00 00 00 01         #   partition_data: ARRAY of 1
    00 00 00 02         #     index 2
    00 00 00 08 01 02 03 04 05 06 07 08   # records: int32 length 8, bytes
  `;
  checkRequestFixture(
    bytes,
    { apiKey: 0, apiVersion: 3, correlationId: 11, clientId: 'kcat', headerVersion: 1, bodyOffset: 14 },
    {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 'logs', partitionData: [{ index: 2, records: hex`01 02 03 04 05 06 07 08` }] }],
    },
  );
});

test('Produce v9 request: flexible, COMPACT_RECORDS', () => {
  const bytes = hex`
    00 00 00 31         # size 49
    00 00 00 09         # Produce v9
    00 00 00 0c         # correlation_id 12
    00 04 "kcat"        # client_id
    00                  # header tag buffer
    05 "tx-1"           # transactional_id: COMPACT_NULLABLE_STRING, length 4 + 1
    00 01               # acks 1
    00 00 03 e8         # timeout_ms 1000
    02                  # topic_data: COMPACT_ARRAY of 1
    05 "logs"           #   name
    02                  #   partition_data: COMPACT_ARRAY of 1
    00 00 00 00         #     index 0
    09 01 02 03 04 05 06 07 08   # records: uvarint length 8 + 1, bytes
    00                  #     partition tag buffer
    00                  #   topic tag buffer
    00                  # body tag buffer
  `;
  checkRequestFixture(
    bytes,
    { apiKey: 0, apiVersion: 9, correlationId: 12, clientId: 'kcat', headerVersion: 2, bodyOffset: 15 },
    {
      transactionalId: 'tx-1',
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'logs', partitionData: [{ index: 0, records: hex`01 02 03 04 05 06 07 08` }] }],
    },
  );
});
