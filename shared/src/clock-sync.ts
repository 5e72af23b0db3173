import type { Bus } from './bus/bus.js';
import type { Clock, ClockState } from './clock.js';
import type { Redis } from './redis.js';

const CLOCK_KEY = 'stratus:clock';
const CLOCK_SUBJECT = 'clock.changed';

/**
 * Keeps every process's clock in step. The state lives in Redis (so a process started later adopts it)
 * and each change is announced on the bus (so running processes adopt it at once). In embedded mode
 * there is one clock object and nothing to share.
 */
export class ClockSync {
  private unsubscribe?: () => void;

  constructor(private readonly clock: Clock, private readonly bus: Bus, private readonly redis?: Redis) {}

  async start(): Promise<void> {
    if (this.bus.kind === 'local') return;
    this.unsubscribe = this.bus.subscribe(CLOCK_SUBJECT, (state) => this.clock.apply(state as ClockState));
    const stored = this.redis ? await this.redis.get(CLOCK_KEY) : null;
    if (stored) this.clock.apply(JSON.parse(stored) as ClockState);
  }

  /** Records and announces a change made here (by the admin API). */
  async announce(state: ClockState): Promise<void> {
    if (this.bus.kind === 'local') return;
    if (this.redis) await this.redis.set(CLOCK_KEY, JSON.stringify(state));
    this.bus.publish(CLOCK_SUBJECT, state);
  }

  stop(): void {
    this.unsubscribe?.();
  }
}
