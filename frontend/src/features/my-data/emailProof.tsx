// The e-mail proof of "Mine opplysninger": once the client has typed the code dsar mailed to an
// address, dsar's proof (a short-lived signed token) and the address are kept here, in memory only
// (never in a URL or browser storage), for dsar's and consent's self-service calls.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export interface EmailProofState {
  /** dsar's proof (compact JWS), or null before the address is confirmed. */
  proof: string | null;
  /** The confirmed address, to show the client which one the proof is for. */
  email: string | null;
  setProof: (proof: string | null, email?: string | null) => void;
}

const EmailProofContext = createContext<EmailProofState>({ proof: null, email: null, setProof: () => undefined });

export function EmailProofProvider({ children }: { children: ReactNode }) {
  const [held, setHeld] = useState<{ proof: string | null; email: string | null }>({ proof: null, email: null });
  const value = useMemo<EmailProofState>(
    () => ({
      ...held,
      setProof: (proof, email = null) => setHeld({ proof, email: proof === null ? null : email }),
    }),
    [held],
  );
  return <EmailProofContext.Provider value={value}>{children}</EmailProofContext.Provider>;
}

export function useEmailProof(): EmailProofState {
  return useContext(EmailProofContext);
}
