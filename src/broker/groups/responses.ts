import type { JoinGroupResult, SyncGroupResult } from './types.ts';

const EMPTY = Buffer.alloc(0);

/** A JoinGroup answer that carries only an error (and the member id the client should keep). */
export function joinError(errorCode: number, memberId: string): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}
