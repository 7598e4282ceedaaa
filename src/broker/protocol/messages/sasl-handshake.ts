import { type RequestInputOf, type RequestOf, type ResponseInputOf, type ResponseOf, defineApi } from '../api-schema.ts';

/**
 * SaslHandshake (API key 17): picks a SASL mechanism; v1 means the SASL tokens follow
 * in SaslAuthenticate requests. Versions 0-1; never flexible.
 *
 * <grammar>
 * SaslHandshake Request (Version: 0-1) => mechanism
 *   mechanism => STRING
 *
 * SaslHandshake Response (Version: 0-1) => error_code [mechanisms]
 *   error_code => INT16
 *   mechanisms => STRING
 * </grammar>
 */
export const saslHandshakeApi = defineApi({
  apiKey: 17,
  name: 'SaslHandshake',
  versions: '0-1',
  flexibleVersions: 'none',
  request: [{ name: 'mechanism', type: 'string', versions: '0+' }],
  response: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'mechanisms', type: 'string[]', versions: '0+' },
  ],
});

export type SaslHandshakeRequest = RequestOf<typeof saslHandshakeApi>;
export type SaslHandshakeResponse = ResponseOf<typeof saslHandshakeApi>;
export type SaslHandshakeRequestInput = RequestInputOf<typeof saslHandshakeApi>;
export type SaslHandshakeResponseInput = ResponseInputOf<typeof saslHandshakeApi>;
