import type { Bus, Clock } from '@stratus/shared';
import { queueKey } from './model.js';
import type { QueueId } from './store/types.js';

/** Bus subject announcing that a queue may have receivable messages: `{ queue: <queue key> }`. */
export const AVAILABLE_SUBJECT = 'sqs.available';

export interface AvailableEvent {
  queue: string;
}

/** Tells long polls in every replica that `queue` may have receivable messages. */
export function publishAvailable(bus: Bus, queue: QueueId): void {
  bus.publish(AVAILABLE_SUBJECT, { queue: queueKey(queue) } satisfies AvailableEvent);
}

/**
 * Where long polls wait. A waiter wakes when a message may have become receivable in its queue: a send
 * (or delete, redrive, visibility change) announced on the bus by any replica, any move of the shared
 * clock, or its own timer (the moment the store says a delay or visibility timeout ends, or the poll's
 * deadline).
 */
export class LongPollHub {
  /** Once closed (the service is stopping), polls answer with what they have instead of waiting. */
  closed = false;
  private readonly waiting = new Map<string, Set<Waiter>>();
  private readonly unsubscribe: () => void;
  private readonly stopWatchingClock: () => void;

  constructor(bus: Bus, clock: Clock) {
    this.unsubscribe = bus.subscribe(AVAILABLE_SUBJECT, (data) => this.notify((data as AvailableEvent).queue));
    this.stopWatchingClock = clock.onChange(() => this.notifyAll());
  }

  /**
   * Registers a waiter for a queue. Arm it before looking at the queue, so an announcement that comes
   * while looking is not missed; then sleep on it, and always dispose of it.
   */
  arm(queueKey: string): Waiter {
    let set = this.waiting.get(queueKey);
    if (!set) {
      set = new Set();
      this.waiting.set(queueKey, set);
    }
    const waiter = new Waiter(() => {
      set.delete(waiter);
      if (set.size === 0 && this.waiting.get(queueKey) === set) this.waiting.delete(queueKey);
    });
    set.add(waiter);
    return waiter;
  }

  notify(queueKey: string): void {
    const set = this.waiting.get(queueKey);
    if (set) for (const w of set) w.wake();
  }

  notifyAll(): void {
    for (const set of this.waiting.values()) for (const w of set) w.wake();
  }

  /** Wakes every waiter (their polls then answer with what they have) and stops listening. */
  close(): void {
    this.closed = true;
    this.notifyAll();
    this.unsubscribe();
    this.stopWatchingClock();
  }
}

export class Waiter {
  private woken = false;
  private resolve?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(private readonly release: () => void) {}

  /** Resolves when woken (at once if that already happened) or after `ms`. */
  sleep(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.wake(), ms);
    });
  }

  wake(): void {
    this.woken = true;
    clearTimeout(this.timer);
    this.resolve?.();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.release();
  }
}
