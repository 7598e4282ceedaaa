/**
 * Consumer-group requests: FindCoordinator (always this broker), JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup, DescribeGroups, ListGroups and DeleteGroups, translated to and
 * from the wire-independent GroupCoordinator.
 */
import { KafkaError } from '../protocol/error-codes.ts';
import { deleteGroupsApi } from '../protocol/messages/delete-groups.ts';
import { describeGroupsApi } from '../protocol/messages/describe-groups.ts';
import { findCoordinatorApi } from '../protocol/messages/find-coordinator.ts';
import { heartbeatApi } from '../protocol/messages/heartbeat.ts';
import { joinGroupApi } from '../protocol/messages/join-group.ts';
import { leaveGroupApi } from '../protocol/messages/leave-group.ts';
import { listGroupsApi } from '../protocol/messages/list-groups.ts';
import { syncGroupApi } from '../protocol/messages/sync-group.ts';
import { defineHandler, type RequestContext } from './handler.ts';

const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;

function coordinatorFor(keyType: number, ctx: RequestContext) {
  const { nodeId, advertised } = ctx.broker;
  if (keyType === KEY_TYPE_GROUP) return { errorCode: KafkaError.NONE, errorMessage: null, nodeId, host: advertised.host, port: advertised.port };
  const errorMessage = keyType === KEY_TYPE_TRANSACTION ? 'transactions are not supported by this broker' : `coordinator key type ${keyType} is not supported`;
  return { errorCode: keyType === KEY_TYPE_TRANSACTION ? KafkaError.COORDINATOR_NOT_AVAILABLE : KafkaError.INVALID_REQUEST, errorMessage, nodeId: -1, host: '', port: -1 };
}

export const findCoordinatorHandler = defineHandler(findCoordinatorApi, (request, ctx) => {
  if (ctx.apiVersion >= 4) {
    return { throttleTimeMs: 0, coordinators: request.coordinatorKeys.map((key) => ({ key, ...coordinatorFor(request.keyType, ctx) })) };
  }
  return { throttleTimeMs: 0, ...coordinatorFor(request.keyType, ctx) };
});

function clientHost(ctx: RequestContext): string {
  const remote = ctx.client.remote;
  return `/${remote.slice(0, remote.lastIndexOf(':'))}`;
}

export const joinGroupHandler = defineHandler(joinGroupApi, async (request, ctx) => {
  const result = await ctx.broker.groups.joinGroup({
    groupId: request.groupId,
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId,
    protocolType: request.protocolType,
    protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
    sessionTimeoutMs: request.sessionTimeoutMs,
    rebalanceTimeoutMs: ctx.apiVersion >= 1 ? request.rebalanceTimeoutMs : -1,
    clientId: ctx.clientId ?? '',
    clientHost: clientHost(ctx),
    requireKnownMemberId: ctx.apiVersion >= 4,
    reason: request.reason,
    supportsSkipAssignment: ctx.apiVersion >= 9,
  });
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode,
    generationId: result.generationId,
    protocolType: result.protocolType,
    // protocol_name is nullable only from v7; older versions get "".
    protocolName: result.protocolName ?? (ctx.apiVersion >= 7 ? null : ''),
    leader: result.leader,
    skipAssignment: result.skipAssignment,
    memberId: result.memberId,
    members: result.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
  };
});

export const syncGroupHandler = defineHandler(syncGroupApi, async (request, ctx) => {
  const result = await ctx.broker.groups.syncGroup({
    groupId: request.groupId,
    generationId: request.generationId,
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId,
    protocolType: ctx.apiVersion >= 5 ? request.protocolType : null,
    protocolName: ctx.apiVersion >= 5 ? request.protocolName : null,
    assignments: request.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
  });
  return { throttleTimeMs: 0, errorCode: result.errorCode, protocolType: result.protocolType, protocolName: result.protocolName, assignment: result.assignment };
});

export const heartbeatHandler = defineHandler(heartbeatApi, (request, ctx) => ({
  throttleTimeMs: 0,
  errorCode: ctx.broker.groups.heartbeat({
    groupId: request.groupId,
    generationId: request.generationId,
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId,
  }),
}));

export const leaveGroupHandler = defineHandler(leaveGroupApi, (request, ctx) => {
  const members =
    ctx.apiVersion >= 3
      ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: m.reason }))
      : [{ memberId: request.memberId, groupInstanceId: null, reason: null }];
  const result = ctx.broker.groups.leaveGroup({ groupId: request.groupId, members });
  // v0-2 carry one member and no per-member results: its error becomes the request's.
  const errorCode = ctx.apiVersion >= 3 ? result.errorCode : result.errorCode || (result.members[0]?.errorCode ?? KafkaError.NONE);
  return { throttleTimeMs: 0, errorCode, members: result.members };
});

export const describeGroupsHandler = defineHandler(describeGroupsApi, (request, ctx) => ({
  throttleTimeMs: 0,
  groups: ctx.broker.groups.describeGroups(request.groups).map((g) => ({ ...g, authorizedOperations: -2147483648 })),
}));

export const listGroupsHandler = defineHandler(listGroupsApi, (request, ctx) => {
  const filter = ctx.apiVersion >= 4 && request.statesFilter.length > 0 ? request.statesFilter : undefined;
  const types = ctx.apiVersion >= 5 && request.typesFilter.length > 0 ? new Set(request.typesFilter.map((t) => t.toLowerCase())) : undefined;
  const result = ctx.broker.groups.listGroups(filter);
  return { throttleTimeMs: 0, errorCode: result.errorCode, groups: result.groups.filter((g) => !types || types.has(g.groupType)) };
});

export const deleteGroupsHandler = defineHandler(deleteGroupsApi, async (request, ctx) => ({
  throttleTimeMs: 0,
  results: await ctx.broker.groups.deleteGroups(request.groupsNames),
}));
