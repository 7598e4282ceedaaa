import { test } from 'node:test';
import { checkRequestFixture, hex } from '../fixture.ts';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

test('Metadata v1 request with one topic', () => {
  const bytes = hex`
    00 00 00 18         # size 24
    00 03 00 01         # Metadata v1
    00 00 00 02         # correlation_id 2
    00 04 "kcat"        # client_id
    00 00 00 01         # topics: ARRAY of 1
    00 04 "logs"        #   name
  `;
  checkRequestFixture(
    bytes,
    { apiKey: 3, apiVersion: 1, correlationId: 2, clientId: 'kcat', headerVersion: 1, bodyOffset: 14 },
    {
      topics: [{ topicId: ZERO_UUID, name: 'logs' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    },
  );
});

test('Metadata v1 request with a null topic list (all topics)', () => {
  const bytes = hex`
    00 00 00 12         # size 18
    00 03 00 01 00 00 00 02 00 04 "kcat"
    ff ff ff ff         # topics: null
  `;
  checkRequestFixture(
    bytes,
    { apiKey: 3, apiVersion: 1, correlationId: 2, clientId: 'kcat', headerVersion: 1, bodyOffset: 14 },
    { topics: null, allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false },
  );
});

test('Metadata v9 request: flexible, header v2', () => {
  const bytes = hex`
    00 00 00 22         # size 34
    00 03 00 09         # Metadata v9
    00 00 00 03         # correlation_id 3
    00 0c "loglane-test"   # client_id
    00                  # header tag buffer
    02                  # topics: COMPACT_ARRAY of 1
    05 "logs" 00        #   name (COMPACT_STRING), tag buffer
    01                  # allow_auto_topic_creation true
    00                  # include_cluster_authorized_operations false
    01                  # include_topic_authorized_operations true
    00                  # tag buffer
  `;
  checkRequestFixture(
    bytes,
    { apiKey: 3, apiVersion: 9, correlationId: 3, clientId: 'loglane-test', headerVersion: 2, bodyOffset: 23 },
    {
      topics: [{ topicId: ZERO_UUID, name: 'logs' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: true,
    },
  );
});
