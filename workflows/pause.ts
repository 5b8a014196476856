// How the cycle's loops stop when a run continues as new: each gives up at its next wait.

/** A loop stopped at a wait because the run continues as new. */
export class Paused extends Error {}

/** `p`, ending quietly when its loop was paused. */
export const pausable = (p: Promise<void>): Promise<void> => p.catch((err: unknown) => {
  if (!(err instanceof Paused)) throw err;
});
