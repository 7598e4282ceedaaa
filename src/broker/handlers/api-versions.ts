/** ApiVersions: the advertised version ranges (see ADVERTISED_API_VERSIONS). */
import { ADVERTISED_API_VERSIONS } from '../protocol/api.ts';
import { KafkaError } from '../protocol/error-codes.ts';
import { apiVersionsApi } from '../protocol/messages/api-versions.ts';
import { defineHandler } from './handler.ts';

export const apiVersionsHandler = defineHandler(apiVersionsApi, () => ({
  errorCode: KafkaError.NONE,
  apiKeys: ADVERTISED_API_VERSIONS.map((r) => ({ apiKey: r.apiKey, minVersion: r.minVersion, maxVersion: r.maxVersion })),
  throttleTimeMs: 0,
}));
