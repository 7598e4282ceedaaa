import { test } from 'node:test';
import { checkResponseFixture, hex } from '../fixture.ts';

test('Fetch v4 response: aborted transactions, classic RECORDS', () => {
  const bytes = hex`
    00 00 00 48         # size 72
    00 00 00 05         # correlation_id (response header v0)
    00 00 00 00         # throttle_time_ms 0
    00 00 00 01         # responses: ARRAY of 1
    00 04 "logs"        #   topic
    00 00 00 01         #   partitions: ARRAY of 1
    00 00 00 00         #     partition_index 0
    00 00               #     error_code 0
    00 00 00 00 00 00 00 0a   # high_watermark 10
    00 00 00 00 00 00 00 0a   # last_stable_offset 10
    00 00 00 01         #     aborted_transactions: ARRAY of 1
    00 00 00 00 00 00 00 07   #   producer_id 7
    00 00 00 00 00 00 00 03   #   first_offset 3
    00 00 00 04 de ad be ef   # records: int32 length 4
  `;
  checkResponseFixture(1, 4, bytes, 5, {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: [
      {
        topic: 'logs',
        topicId: '00000000-0000-0000-0000-000000000000',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            highWatermark: 10,
            lastStableOffset: 10,
            logStartOffset: -1,
            divergingEpoch: { epoch: -1, endOffset: -1 },
            currentLeader: { leaderId: -1, leaderEpoch: -1 },
            snapshotId: { endOffset: -1, epoch: -1 },
            abortedTransactions: [{ producerId: 7, firstOffset: 3 }],
            preferredReadReplica: -1,
            records: hex`de ad be ef`,
          },
        ],
      },
    ],
    nodeEndpoints: [],
  });
});

test('Fetch v12 response: header v1, null aborted transactions, tagged current_leader', () => {
  const bytes = hex`
    00 00 00 4c         # size 76
    00 00 00 06         # correlation_id
    00                  # response header v1 tag buffer
    00 00 00 00         # throttle_time_ms 0
    00 00               # error_code 0
    00 00 00 00         # session_id 0
    02                  # responses: COMPACT_ARRAY of 1
    05 "logs"           #   topic
    02                  #   partitions: COMPACT_ARRAY of 1
    00 00 00 00         #     partition_index 0
    00 00               #     error_code 0
    00 00 00 00 00 00 00 0a   # high_watermark 10
    00 00 00 00 00 00 00 0a   # last_stable_offset 10
    00 00 00 00 00 00 00 00   # log_start_offset 0
    00                  #     aborted_transactions: null
    ff ff ff ff         #     preferred_read_replica -1
    05 de ad be ef      #     records: COMPACT_RECORDS, length 4 + 1
    01                  #     1 tagged field
    01 09 00 00 00 01 00 00 00 00 00   # tag 1 current_leader, 9 bytes: leader_id 1, leader_epoch 0, tag buffer
    00                  #   topic tag buffer
    00                  # body tag buffer
  `;
  checkResponseFixture(1, 12, bytes, 6, {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: [
      {
        topic: 'logs',
        topicId: '00000000-0000-0000-0000-000000000000',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            highWatermark: 10,
            lastStableOffset: 10,
            logStartOffset: 0,
            divergingEpoch: { epoch: -1, endOffset: -1 },
            currentLeader: { leaderId: 1, leaderEpoch: 0 },
            snapshotId: { endOffset: -1, epoch: -1 },
            abortedTransactions: null,
            preferredReadReplica: -1,
            records: hex`de ad be ef`,
          },
        ],
      },
    ],
    nodeEndpoints: [],
  });
});
