import { useMemo } from 'react';
import { useAuth } from 'react-oidc-context';

import { rolesFromAccessToken, type StaffRole } from './roles';

export function useStaffRoles(): StaffRole[] {
  const accessToken = useAuth().user?.access_token;
  return useMemo(() => rolesFromAccessToken(accessToken), [accessToken]);
}
