/** Every request handler of the broker, by API key. */
import { apiVersionsHandler } from './api-versions.ts';
import { alterConfigsHandler, describeConfigsHandler, incrementalAlterConfigsHandler } from './configs.ts';
import { fetchHandler } from './fetch.ts';
import {
  deleteGroupsHandler,
  describeGroupsHandler,
  findCoordinatorHandler,
  heartbeatHandler,
  joinGroupHandler,
  leaveGroupHandler,
  listGroupsHandler,
  syncGroupHandler,
} from './groups.ts';
import type { Handler } from './handler.ts';
import { listOffsetsHandler } from './list-offsets.ts';
import { metadataHandler } from './metadata.ts';
import { offsetCommitHandler, offsetDeleteHandler, offsetFetchHandler } from './offsets.ts';
import { deleteRecordsHandler, describeClusterHandler, initProducerIdHandler, offsetForLeaderEpochHandler } from './partitions-admin.ts';
import { produceHandler } from './produce.ts';
import { createPartitionsHandler, createTopicsHandler, deleteTopicsHandler } from './topics-admin.ts';

export const HANDLERS: ReadonlyMap<number, Handler> = new Map(
  [
    produceHandler,
    fetchHandler,
    listOffsetsHandler,
    metadataHandler,
    apiVersionsHandler,
    createTopicsHandler,
    deleteTopicsHandler,
    deleteRecordsHandler,
    initProducerIdHandler,
    offsetForLeaderEpochHandler,
    describeConfigsHandler,
    alterConfigsHandler,
    createPartitionsHandler,
    incrementalAlterConfigsHandler,
    describeClusterHandler,
    findCoordinatorHandler,
    joinGroupHandler,
    syncGroupHandler,
    heartbeatHandler,
    leaveGroupHandler,
    describeGroupsHandler,
    listGroupsHandler,
    deleteGroupsHandler,
    offsetCommitHandler,
    offsetFetchHandler,
    offsetDeleteHandler,
  ].map((handler) => [handler.api.apiKey, handler]),
);
