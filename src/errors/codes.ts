/**
 * The one registry of loglane error codes. Every code is documented in docs/errors.md
 * (a test checks both directions). Add a code here, then a section there.
 *
 * `retriable` is the default verdict for the code; every LoglaneError constructor call
 * still states its own `retriable` explicitly, because the same code can be retriable in
 * one place (a transient disk error) and final in another.
 */
export const ERROR_CODES = {
  // configuration
  LOGLANE_ERR_CONFIG_READ: 'The configuration file could not be read.',
  LOGLANE_ERR_CONFIG_SYNTAX: 'The configuration file is not valid YAML.',
  LOGLANE_ERR_CONFIG_INVALID: 'The configuration does not match the schema (unknown key, wrong type, bad value).',
  LOGLANE_ERR_CONFIG_ENV: 'A ${VAR} reference in the configuration could not be resolved.',
  // data directory
  LOGLANE_ERR_DATADIR_LOCKED: 'Another loglane process holds the data directory lock.',
  LOGLANE_ERR_DATADIR_UNWRITABLE: 'The data directory cannot be created or written.',
  // runtime
  LOGLANE_ERR_SERVER_LISTEN: 'A server could not listen on its configured address.',
  LOGLANE_ERR_SHUTDOWN_TIMEOUT: 'A component did not stop within the shutdown timeout.',
  LOGLANE_ERR_CLI_USAGE: 'A command was called with wrong arguments.',
  // broker
  LOGLANE_ERR_BROKER_FRAME: 'A client sent a Kafka frame that could not be parsed; the connection was closed.',
  LOGLANE_ERR_BROKER_ENCODE: 'A Kafka message could not be encoded (a value does not fit its field); a bug, never the peer\'s fault.',
  LOGLANE_ERR_BROKER_LOG_CORRUPT: 'A partition log segment holds bytes that are not a valid record batch.',
  LOGLANE_ERR_BROKER_STORAGE: 'The broker could not read or write its data directory.',
  LOGLANE_ERR_KAFKA_CLIENT: 'A Kafka request made by a loglane command failed.',
  // store
  LOGLANE_ERR_STORE_STORAGE: 'The store could not open, read or write its data directory.',
  LOGLANE_ERR_STORE_ENGINE_EXIT: 'The store engine thread stopped unexpectedly; requests fail until the store restarts.',
  LOGLANE_ERR_STORE_FULLTEXT: 'The store could not write an index\'s full-text file (fts.db); its documents are stored and are indexed again from their sources when the store restarts.',
  // indexer
  LOGLANE_ERR_INDEXER_OUTPUT_UNAVAILABLE: 'An indexer output (Elasticsearch, Kafka) does not answer; consumption is paused and the batch is retried.',
  LOGLANE_ERR_INDEXER_OUTPUT_SETUP: 'An output setup step (the index template) was refused by the cluster.',
  LOGLANE_ERR_INDEXER_DEAD_LETTER: 'Messages were written to the dead-letter topic (undecodable, or refused by an output).',
  LOGLANE_ERR_INDEXER_COMMIT: 'An offset commit failed (usually a rebalance); the messages will be consumed again and re-indexed under the same ids.',
  LOGLANE_ERR_INDEXER_START: 'A pipeline could not start (cluster unreachable, no topic matches); it is retried.',
  LOGLANE_ERR_DLQ_REPLAY: 'loglane dlq replay could not read the dead-letter topic or get the replayed events acknowledged in time.',
  // shipper
  LOGLANE_ERR_SHIPPER_INPUT: 'A shipper input met input it cannot take as it is (unreadable file, bytes that are not UTF-8, an over-long line, an invalid syslog frame, a bad HTTP body); logged with its source and counted.',
  LOGLANE_ERR_SHIPPER_REJECTED: 'An event was written to the shipper reject file instead of Kafka (over max_message_bytes, or its topic template gave no valid topic name).',
  LOGLANE_ERR_SHIPPER_KAFKA_UNAVAILABLE: 'Kafka does not acknowledge the shipper; inputs pause, the registry holds, produce is retried with backoff.',
  LOGLANE_ERR_SHIPPER_REGISTRY: 'The shipper file registry could not be read or written.',
} as const satisfies Record<`LOGLANE_ERR_${string}`, string>;

export type ErrorCode = keyof typeof ERROR_CODES;
