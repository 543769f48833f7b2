// The request lifecycle as dsar defines it (services/dsar/.../requests/lifecycle.py), used only to
// offer the moves that can succeed; the service checks every move and who may make it.
import type { RejectionReason, RequestStatus, RequestType } from './queries';

export const REQUEST_STATUSES: readonly RequestStatus[] = [
  'received',
  'identity_verified',
  'in_progress',
  'awaiting_approval',
  'approved',
  'completed',
  'failed',
  'rejected',
  'withdrawn',
];
export const REQUEST_TYPES: readonly RequestType[] = ['access', 'rectification', 'erasure', 'restriction', 'objection'];
export const REJECTION_REASONS: readonly RejectionReason[] = [
  'manifestly_unfounded',
  'excessive',
  'identity_not_proven',
  'no_data_held',
  'legal_obligation',
];
export const IDENTITY_CHECKS = ['bankid_in_person', 'id_document', 'known_from_earlier_contact'] as const;

const CLOSE: RequestStatus[] = ['rejected', 'withdrawn'];
const NEXT: Record<RequestStatus, RequestStatus[]> = {
  received: ['identity_verified', ...CLOSE],
  identity_verified: ['in_progress', 'approved', ...CLOSE],
  in_progress: ['awaiting_approval', 'completed', 'failed', ...CLOSE],
  awaiting_approval: ['approved', 'in_progress', ...CLOSE],
  approved: ['completed', ...CLOSE],
  failed: ['in_progress', ...CLOSE],
  completed: [],
  rejected: [],
  withdrawn: [],
};

/** The statuses a request may move to; only erasures pass through approval. */
export function nextStatuses(status: RequestStatus, type: RequestType): RequestStatus[] {
  return NEXT[status].filter((next) => type === 'erasure' || (next !== 'awaiting_approval' && next !== 'approved'));
}
