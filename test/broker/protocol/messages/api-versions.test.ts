import { test } from 'node:test';
import { checkRequestFixture, checkResponseFixture, hex } from '../fixture.ts';

test('ApiVersions v0 request: header v1, empty body', () => {
  const bytes = hex`
    00 00 00 0e     # size 14
    00 12           # api_key 18
    00 00           # api_version 0
    00 00 00 01     # correlation_id 1
    00 04 "kcat"    # client_id (NULLABLE_STRING)
  `;
  checkRequestFixture(
    bytes,
    { apiKey: 18, apiVersion: 0, correlationId: 1, clientId: 'kcat', headerVersion: 1, bodyOffset: 14 },
    { clientSoftwareName: '', clientSoftwareVersion: '' },
  );
});

test('ApiVersions v3 request: header v2 (tag buffer after an int16-length client id), compact strings', () => {
  const bytes = hex`
    00 00 00 24         # size 36
    00 12 00 03         # ApiVersions v3
    00 00 00 07         # correlation_id 7
    00 07 "rdkafka"     # client_id: still int16 length in header v2
    00                  # header tag buffer: no tagged fields
    0b "librdkafka"     # client_software_name: COMPACT_STRING, length 10 + 1
    06 "2.0.2"          # client_software_version: length 5 + 1
    00                  # body tag buffer
  `;
  checkRequestFixture(
    bytes,
    { apiKey: 18, apiVersion: 3, correlationId: 7, clientId: 'rdkafka', headerVersion: 2, bodyOffset: 18 },
    { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' },
  );
});

test('ApiVersions v0 response', () => {
  const bytes = hex`
    00 00 00 16         # size 22
    00 00 00 01         # correlation_id (response header v0)
    00 00               # error_code 0
    00 00 00 02         # api_keys: ARRAY of 2
    00 00 00 00 00 0b   #   Produce 0-11
    00 12 00 00 00 04   #   ApiVersions 0-4
  `;
  checkResponseFixture(18, 0, bytes, 1, {
    errorCode: 0,
    apiKeys: [
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
    ],
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1,
    finalizedFeatures: [],
    zkMigrationReady: false,
  });
});

test('ApiVersions v3 response: header v0 (KIP-511), compact array, tagged fields', () => {
  const bytes = hex`
    00 00 00 27         # size 39
    00 00 00 07         # correlation_id; no header tag buffer even though v3 is flexible
    00 00               # error_code 0
    03                  # api_keys: COMPACT_ARRAY of 2 (2 + 1)
    00 00 00 00 00 0b 00   # Produce 0-11, tag buffer
    00 12 00 00 00 04 00   # ApiVersions 0-4, tag buffer
    00 00 00 00         # throttle_time_ms 0
    02                  # 2 tagged fields, ascending tags
    01 08 00 00 00 00 00 00 00 05   # tag 1 finalized_features_epoch, 8 bytes: 5
    03 01 01            # tag 3 zk_migration_ready, 1 byte: true
  `;
  checkResponseFixture(18, 3, bytes, 7, {
    errorCode: 0,
    apiKeys: [
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
    ],
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: 5,
    finalizedFeatures: [],
    zkMigrationReady: true,
  });
});
