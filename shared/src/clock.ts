/**
 * The one source of time for every service. Time-based behaviour (visibility timeouts, delays,
 * retention, TTL, expiry) compares stored instants with `now()`, so moving this clock moves all of it.
 * The state is two numbers, so replicas agree by sharing it (see clock-sync.ts).
 */
export interface ClockState {
  /** Milliseconds added to the wall clock. */
  offsetMs: number;
  /** When set, time stands still at this epoch-ms instant. */
  frozenAt: number | null;
}

export type ClockListener = (state: ClockState) => void;

export class Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;
  private readonly listeners = new Set<ClockListener>();

  /** Epoch milliseconds. */
  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  state(): ClockState {
    return { offsetMs: this.offsetMs, frozenAt: this.frozenAt };
  }

  /** Moves time forward (or back, with a negative value); a frozen clock stays frozen at the new instant. */
  advance(ms: number): ClockState {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
    return this.changed();
  }

  freeze(at: number = this.now()): ClockState {
    this.frozenAt = at;
    return this.changed();
  }

  /** Lets time run again from where it stands. */
  unfreeze(): ClockState {
    if (this.frozenAt !== null) {
      this.offsetMs = this.frozenAt - Date.now();
      this.frozenAt = null;
    }
    return this.changed();
  }

  reset(): ClockState {
    this.offsetMs = 0;
    this.frozenAt = null;
    return this.changed();
  }

  /** Adopts a state decided elsewhere (another process); listeners hear of it. */
  apply(state: ClockState): void {
    this.offsetMs = state.offsetMs;
    this.frozenAt = state.frozenAt;
    for (const l of this.listeners) l(this.state());
  }

  /** Called whenever the clock moves other than by passing time (long polls re-check on it). */
  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): ClockState {
    const s = this.state();
    for (const l of this.listeners) l(s);
    return s;
  }
}
