// Staff roles from the access token's `roles` claim. Decoded only to shape the UI; the services verify.

const STAFF_ROLES = ['counsellor', 'coordinator', 'manager', 'dpo'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

function isStaffRole(value: unknown): value is StaffRole {
  return STAFF_ROLES.includes(value as StaffRole);
}

function decodePayload(jwt: string): unknown {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  try {
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

export function rolesFromAccessToken(accessToken: string | undefined): StaffRole[] {
  if (!accessToken) return [];
  const payload = decodePayload(accessToken);
  if (typeof payload !== 'object' || payload === null || !('roles' in payload)) return [];
  const { roles } = payload;
  return Array.isArray(roles) ? roles.filter(isStaffRole) : [];
}

/** Coordinators and managers create clients (DESIGN.md §2, need to know). */
export function canRegisterClients(roles: readonly StaffRole[]): boolean {
  return roles.includes('coordinator') || roles.includes('manager');
}
