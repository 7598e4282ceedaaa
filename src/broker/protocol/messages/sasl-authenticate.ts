import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * SaslAuthenticate (API key 36): carries one SASL token each way after SaslHandshake v1.
 * Versions 0-2; flexible from v2.
 *
 * <grammar>
 * SaslAuthenticate Request (Version: 0-1) => auth_bytes
 *   auth_bytes => BYTES
 *
 * SaslAuthenticate Request (Version: 2) => auth_bytes _tagged_fields
 *   auth_bytes => COMPACT_BYTES
 *
 * SaslAuthenticate Response (Version: 0) => error_code error_message auth_bytes
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   auth_bytes => BYTES
 *
 * SaslAuthenticate Response (Version: 1) => error_code error_message auth_bytes session_lifetime_ms
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   auth_bytes => BYTES
 *   session_lifetime_ms => INT64
 *
 * SaslAuthenticate Response (Version: 2) => error_code error_message auth_bytes session_lifetime_ms _tagged_fields
 *   error_code => INT16
 *   error_message => COMPACT_NULLABLE_STRING
 *   auth_bytes => COMPACT_BYTES
 *   session_lifetime_ms => INT64
 * </grammar>
 */
export const saslAuthenticateApi = defineApi({
  apiKey: 36,
  name: 'SaslAuthenticate',
  versions: '0-2',
  flexibleVersions: '2+',
  request: [{ name: 'authBytes', type: 'bytes', versions: '0+' }],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullable: '0+' },
    { name: 'authBytes', type: 'bytes', versions: '0+' },
    { name: 'sessionLifetimeMs', type: 'int64', versions: '1+', default: 0 },
  ],
});

export type SaslAuthenticateRequest = RequestOf<typeof saslAuthenticateApi>;
export type SaslAuthenticateResponse = ResponseOf<typeof saslAuthenticateApi>;
export type SaslAuthenticateRequestInput = RequestInputOf<typeof saslAuthenticateApi>;
export type SaslAuthenticateResponseInput = ResponseInputOf<typeof saslAuthenticateApi>;
