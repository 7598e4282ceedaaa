/**
 * From a request frame to a response frame: header, version check, body decoding, the
 * handler, response encoding. Protocol violations throw CloseConnection (the connection
 * is closed with the reason logged, as Kafka does); Kafka-level failures travel as error
 * codes inside responses.
 */
import type { Logger } from '../telemetry/logger.ts';
import { CloseConnection, type Router } from './connection.ts';
import type { BrokerContext, Handler } from './handlers/handler.ts';
import { fetchReadBufferPool, ReadLeases } from './log/read-buffer-pool.ts';
import { brokerMetrics } from './metrics.ts';
import { advertisedRange, apiName } from './protocol/api.ts';
import { ProtocolDecodeError } from './protocol/errors.ts';
import { decodeRequestHeader, encodeResponseFrame, encodeUnsupportedApiVersionsResponse, type RequestHeader } from './protocol/header.ts';

const API_VERSIONS_KEY = 18;

export function createRouter(handlers: ReadonlyMap<number, Handler>, broker: BrokerContext, logger: Logger): Router {
  return async (frame, client, hold) => {
    const started = performance.now();
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(frame);
    } catch (error) {
      throw new CloseConnection('bad_header', `unreadable request header: ${(error as Error).message}`);
    }
    const { apiKey, apiVersion, correlationId } = header;
    const handler = handlers.get(apiKey);
    const range = advertisedRange(apiKey);
    if (!handler || !range) {
      throw new CloseConnection('unknown_api', `unsupported API key ${apiKey} (${apiName(apiKey)}), correlation id ${correlationId}`);
    }
    if (apiVersion < range.minVersion || apiVersion > range.maxVersion) {
      if (apiKey === API_VERSIONS_KEY) return encodeUnsupportedApiVersionsResponse(correlationId);
      throw new CloseConnection(
        'unsupported_version',
        `${apiName(apiKey)} v${apiVersion} is not supported (this broker speaks v${range.minVersion}-${range.maxVersion})`,
      );
    }
    let body: unknown;
    try {
      body = handler.api.decodeRequest(apiVersion, frame, header.bodyOffset);
    } catch (error) {
      if (error instanceof ProtocolDecodeError) throw new CloseConnection('bad_request', error.message);
      throw error;
    }
    const name = handler.api.name;
    brokerMetrics.requests.inc({ api: name });
    const leases = new ReadLeases(fetchReadBufferPool);
    let chunks: Buffer[];
    try {
      const response = await handler.handle(body, { broker, client, apiVersion, clientId: header.clientId, leases });
      brokerMetrics.requestSeconds.observe({ api: name }, (performance.now() - started) / 1000);
      if (response === null) {
        leases.releaseAll();
        return null;
      }
      try {
        chunks = encodeResponseFrame(apiKey, apiVersion, correlationId, response);
      } catch (error) {
        logger.error({ err: error, api: name, version: apiVersion }, 'could not encode a response (a broker bug)');
        throw new CloseConnection('handler_error', `could not encode the ${name} v${apiVersion} response`);
      }
    } catch (error) {
      leases.releaseAll();
      throw error;
    }
    // The chunks may be views of pooled buffers: the connection releases them once written or dropped.
    if (leases.count > 0) hold(() => leases.releaseAll());
    return chunks;
  };
}
