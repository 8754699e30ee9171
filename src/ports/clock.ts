/** Time behind a port so a run replays exactly. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface IdGen {
  /** A new unique id with the given prefix, e.g. `vdt_…`. */
  next(prefix: string): string;
}
