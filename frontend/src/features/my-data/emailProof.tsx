// The client's proof of an e-mail address (a JWS from dsar), kept in memory only: never in
// storage, never in a URL. Requests to dsar and consent send it so they find what is held under
// that address too; a reload or logout forgets it.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export interface EmailProofState {
  /** The compact JWS, or null before the address is confirmed. */
  proof: string | null;
  /** The confirmed address, as dsar normalised it. */
  email: string | null;
  setProof: (proof: string | null, email?: string | null) => void;
}

const EmailProofContext = createContext<EmailProofState>({
  proof: null,
  email: null,
  setProof: () => undefined,
});

export function EmailProofProvider({ children }: { children: ReactNode }) {
  const [held, setHeld] = useState<{ proof: string | null; email: string | null }>({ proof: null, email: null });
  const value = useMemo<EmailProofState>(
    () => ({
      proof: held.proof,
      email: held.email,
      setProof: (proof, email = null) => setHeld({ proof, email: proof ? email : null }),
    }),
    [held],
  );
  return <EmailProofContext.Provider value={value}>{children}</EmailProofContext.Provider>;
}

export function useEmailProof(): EmailProofState {
  return useContext(EmailProofContext);
}
