import { ADVERTISED_API_VERSIONS, type ApiVersionRange, apiByKey, apiName } from './api.ts';
import { KafkaError } from './error-codes.ts';
import { ProtocolDecodeError, ProtocolEncodeError } from './errors.ts';
import { apiVersionsApi } from './messages/api-versions.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

/**
 * Request and response headers, and whole frames (int32 size + header + body).
 *
 * Request header v1: api_key INT16, api_version INT16, correlation_id INT32,
 * client_id NULLABLE_STRING (int16 length, also in v2). v2 = v1 + a tag buffer, used
 * for every flexible version of the API. Response header v0: correlation_id INT32;
 * v1 = v0 + a tag buffer, for flexible versions, except ApiVersions, whose response
 * header is always v0 (KIP-511: a client must read it before it knows the version).
 */

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** 1, or 2 when a tag buffer follows the client id. */
  headerVersion: 1 | 2;
  /** Where the body starts in the frame. */
  bodyOffset: number;
}

export interface RequestHeaderInput {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/**
 * The request header version for (api key, version): 2 from the API's first flexible
 * version on, including versions above the codec's range (ApiVersions v5 still gets its
 * tag buffer skipped), else 1. Unknown API keys get 1: only the v1 fields are read, to
 * learn the correlation id before closing the connection.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2 {
  const api = apiByKey(apiKey);
  return api?.isFlexible(apiVersion) ? 2 : 1;
}

/** The response header version: 1 for flexible versions, 0 otherwise and always 0 for ApiVersions. */
export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === apiVersionsApi.apiKey) return 0;
  const api = apiByKey(apiKey);
  return api?.isFlexible(apiVersion) ? 1 : 0;
}

/** Parses the request header at the start of a frame (the frame excludes the size prefix). */
export function decodeRequestHeader(frame: Buffer): RequestHeader {
  const r = new Reader(frame);
  let field = 'requestApiKey';
  try {
    const apiKey = r.int16();
    field = 'requestApiVersion';
    const apiVersion = r.int16();
    field = 'correlationId';
    const correlationId = r.int32();
    field = 'clientId';
    const clientId = r.nullableString();
    const headerVersion = requestHeaderVersion(apiKey, apiVersion);
    if (headerVersion === 2) {
      field = '_taggedFields';
      r.skipTaggedFields();
    }
    return { apiKey, apiVersion, correlationId, clientId, headerVersion, bodyOffset: r.offset };
  } catch (error) {
    if (error instanceof ProtocolDecodeError) error.within(field).inMessage('request header');
    throw error;
  }
}

/** Writes a request header (v1 or v2 as the API and version require). */
export function writeRequestHeader(w: Writer, header: RequestHeaderInput): void {
  w.int16(header.apiKey);
  w.int16(header.apiVersion);
  w.int32(header.correlationId);
  w.nullableString(header.clientId);
  if (requestHeaderVersion(header.apiKey, header.apiVersion) === 2) w.emptyTaggedFields();
}

/** A whole request frame (size prefix, header, body) as chunks, for clients and tests. */
export function encodeRequestFrame(header: RequestHeaderInput, body: unknown): Buffer[] {
  const api = apiByKey(header.apiKey);
  if (api === undefined) throw new ProtocolEncodeError(`unknown API key ${header.apiKey}`);
  const w = new Writer();
  const size = w.reserve(4);
  writeRequestHeader(w, header);
  api.writeRequest(header.apiVersion, w, body);
  size.writeInt32BE(w.length - 4);
  return w.finish();
}

/** Parses a whole request frame: header, then the body of a known API and version. */
export function decodeRequestFrame(frame: Buffer): { header: RequestHeader; body: unknown } {
  const header = decodeRequestHeader(frame);
  const api = apiByKey(header.apiKey);
  if (api === undefined) {
    throw new ProtocolDecodeError(`unknown API key ${header.apiKey}`, 0).inMessage('request header');
  }
  return { header, body: api.decodeRequest(header.apiVersion, frame, header.bodyOffset) };
}

/**
 * A whole response frame as chunks: int32 size, response header (v0 or v1, see
 * responseHeaderVersion) and the body encoded for `apiVersion`. The chunks are meant
 * for `socket.cork(); write(...); uncork()`; record buffers in the body are referenced,
 * not copied.
 */
export function encodeResponseFrame(apiKey: number, apiVersion: number, correlationId: number, body: unknown): Buffer[] {
  const api = apiByKey(apiKey);
  if (api === undefined) throw new ProtocolEncodeError(`unknown API key ${apiKey}`);
  const w = new Writer();
  const size = w.reserve(4);
  w.int32(correlationId);
  if (responseHeaderVersion(apiKey, apiVersion) === 1) w.emptyTaggedFields();
  api.writeResponse(apiVersion, w, body);
  size.writeInt32BE(w.length - 4);
  return w.finish();
}

/** Parses a response header; the frame excludes the size prefix. */
export function decodeResponseHeader(apiKey: number, apiVersion: number, frame: Buffer): { correlationId: number; bodyOffset: number } {
  const r = new Reader(frame);
  try {
    const correlationId = r.int32();
    if (responseHeaderVersion(apiKey, apiVersion) === 1) r.skipTaggedFields();
    return { correlationId, bodyOffset: r.offset };
  } catch (error) {
    if (error instanceof ProtocolDecodeError) error.inMessage(`${apiName(apiKey)} v${apiVersion} response header`);
    throw error;
  }
}

/** Parses a whole response frame of a known API and version (for clients and tests). */
export function decodeResponseFrame(apiKey: number, apiVersion: number, frame: Buffer): { correlationId: number; body: unknown } {
  const api = apiByKey(apiKey);
  if (api === undefined) throw new ProtocolDecodeError(`unknown API key ${apiKey}`, 0);
  const { correlationId, bodyOffset } = decodeResponseHeader(apiKey, apiVersion, frame);
  return { correlationId, body: api.decodeResponse(apiVersion, frame, bodyOffset) };
}

/**
 * The answer to an ApiVersions request whose version the broker does not support
 * (KIP-511): its body is not parsed, and the response is a v0 body (header v0) with
 * error_code 35 UNSUPPORTED_VERSION and the API list, so the client can retry with a
 * version from the ApiVersions entry.
 */
export function encodeUnsupportedApiVersionsResponse(
  correlationId: number,
  apiKeys: readonly ApiVersionRange[] = ADVERTISED_API_VERSIONS,
): Buffer[] {
  return encodeResponseFrame(apiVersionsApi.apiKey, 0, correlationId, {
    errorCode: KafkaError.UNSUPPORTED_VERSION,
    apiKeys: apiKeys.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })),
  });
}
