import type { Clock, Logger } from '@stratus/shared';
import type { MoveTaskRecord, QueueId, SqsStore } from './store/types.js';

/**
 * Drives RUNNING message move tasks. Moving is a store step that catches a task up with what it owes
 * at the clock's current time (see SqsStore.advanceMoveTask), so this only decides when to take the
 * next step: right away when a task starts, when its next message falls due (one timer per task, not
 * per message), whenever the shared clock moves, and before a listing (so any replica reports current
 * progress).
 */
export class MoveTaskRunner {
  /** RUNNING tasks this process drives, with the timer of their next step (none while the clock is frozen). */
  private readonly timers = new Map<string, NodeJS.Timeout | undefined>();
  private readonly stopWatchingClock: () => void;

  constructor(
    private readonly store: SqsStore,
    private readonly clock: Clock,
    private readonly announce: (queue: QueueId) => void,
    private readonly logger: Logger,
  ) {
    this.stopWatchingClock = clock.onChange(() => {
      for (const id of [...this.timers.keys()]) void this.advanceQuietly(id);
    });
  }

  /** Picks up tasks left RUNNING by a previous process. */
  async resume(): Promise<void> {
    for (const id of await this.store.runningMoveTasks()) await this.advance(id);
  }

  /** Takes the step a task owes now, and schedules the next one. */
  async advance(taskId: string): Promise<MoveTaskRecord | undefined> {
    clearTimeout(this.timers.get(taskId));
    this.timers.delete(taskId);
    const progress = await this.store.advanceMoveTask(taskId, this.clock.now());
    if (!progress) return undefined;
    for (const queue of progress.destinations) this.announce(queue);
    if (progress.task.status === 'RUNNING') this.schedule(progress.task);
    return progress.task;
  }

  forget(taskId: string): void {
    clearTimeout(this.timers.get(taskId));
    this.timers.delete(taskId);
  }

  close(): void {
    this.stopWatchingClock();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(task: MoveTaskRecord): void {
    // Only rate-limited tasks stay RUNNING; message n (0-based) falls due n / rate seconds after the start.
    const rate = task.maxPerSecond ?? 0;
    const dueAt = rate > 0 ? task.startedAt + Math.ceil((task.moved * 1000) / rate) : this.clock.now();
    // A frozen clock does not move by itself: its next change (which steps every task) will.
    if (this.clock.state().frozenAt !== null) {
      this.timers.set(task.taskId, undefined);
      return;
    }
    const timer = setTimeout(() => void this.advanceQuietly(task.taskId), Math.max(0, dueAt - this.clock.now()));
    timer.unref();
    this.timers.set(task.taskId, timer);
  }

  private async advanceQuietly(taskId: string): Promise<void> {
    try {
      await this.advance(taskId);
    } catch (err) {
      this.logger.error({ err, taskId }, 'message move task step failed');
    }
  }
}
