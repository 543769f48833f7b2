// How long a signed-in person may be away before Vern signs them out (VITE_IDLE_TIMEOUT_MINUTES,
// default 15), and how long before that the warning with its countdown shows (default 60 s).

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

const env = import.meta.env;
export const idleTimeoutMs = positive(env.VITE_IDLE_TIMEOUT_MINUTES, 15) * 60_000;
// The warning never takes more than half the time away.
export const idleWarningMs = Math.min(positive(env.VITE_IDLE_WARNING_SECONDS, 60) * 1000, idleTimeoutMs / 2);
