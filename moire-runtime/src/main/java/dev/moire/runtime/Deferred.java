package dev.moire.runtime;

/**
 * Bookkeeping a tracked primitive keeps to itself on its hot path and writes to the graph only when
 * someone is about to look: a lock's {@code holds} edge, a channel's counters and events. Register
 * it with {@link EntityHandle#deferUntilObserved}; the runtime calls {@link #flush()} before it
 * cuts a snapshot and before it decides which ended threads are still evidence. A primitive also
 * flushes on its own when a task starts to wait on it, so the graph shows what the wait is for.
 *
 * <p>What a flush writes is ordinary graph changes: they reach the journal and the subscribers in
 * order. A hold that began and ended between two looks is never written: no snapshot could have
 * shown it.
 */
@FunctionalInterface
public interface Deferred {
  /**
   * Writes what is pending to the graph. Runs on any thread, never under the graph's lock; it may
   * take the primitive's own internal lock briefly, but must not block on anything else, and must
   * not throw.
   */
  void flush();
}
