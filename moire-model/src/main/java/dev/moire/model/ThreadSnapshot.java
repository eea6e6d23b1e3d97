package dev.moire.model;

import dev.moire.model.internal.Checks;
import java.util.List;
import java.util.Optional;

/**
 * One thread as the JVM saw it when a snapshot was cut: a thread dump row that knows which entity
 * stands for the thread.
 *
 * @param threadId the JVM's thread id
 * @param name the thread's name
 * @param virtual whether it is a virtual thread
 * @param state the JVM state, such as {@code WAITING}; {@code TERMINATED} once it ended
 * @param blocker what the thread is parked or blocked on, when the JVM knows
 * @param lockOwner the thread holding the monitor it is blocked on, when the JVM knows
 * @param topFrames the top of its stack, innermost first
 * @param entity the {@code thread} or {@code future} entity it was running, if any
 * @param startedAt the user's line that started it, when moire-agent saw the {@code start()} call
 *     (absent in stores before it existed)
 * @param notifiedAt for a thread in {@code Object.wait}, where the object it waits on was notified
 *     and by which threads, when moire-agent saw the {@code notify()}/{@code notifyAll()} calls:
 *     who signals it, and that a signal came before this wait began or went to another waiter
 *     (absent in stores before it existed: none)
 */
public record ThreadSnapshot(
    long threadId,
    String name,
    boolean virtual,
    java.lang.Thread.State state,
    Optional<String> blocker,
    Optional<String> lockOwner,
    List<Source> topFrames,
    Optional<EntityId> entity,
    Optional<Source> startedAt,
    List<OperationSite> notifiedAt) {
  /**
   * Validates the row and copies the frames.
   *
   * @throws NullPointerException if a component is null
   */
  public ThreadSnapshot {
    Checks.notNull(name, "thread name");
    Checks.notNull(state, "thread state");
    Checks.notNull(blocker, "blocker");
    Checks.notNull(lockOwner, "lock owner");
    topFrames = List.copyOf(topFrames);
    Checks.notNull(entity, "thread entity");
    startedAt = startedAt == null ? Optional.empty() : startedAt;
    notifiedAt = notifiedAt == null ? List.of() : List.copyOf(notifiedAt);
  }

  /** A row without what moire-agent adds: the JVM's view of the thread alone. */
  public ThreadSnapshot(
      long threadId,
      String name,
      boolean virtual,
      java.lang.Thread.State state,
      Optional<String> blocker,
      Optional<String> lockOwner,
      List<Source> topFrames,
      Optional<EntityId> entity) {
    this(
        threadId,
        name,
        virtual,
        state,
        blocker,
        lockOwner,
        topFrames,
        entity,
        Optional.empty(),
        List.of());
  }

  /** Returns the same row, standing for {@code entity}. */
  public ThreadSnapshot withEntity(Optional<EntityId> entity) {
    return with(entity, startedAt, notifiedAt);
  }

  /** Returns the same row, with where it was started and where what it waits on was notified. */
  public ThreadSnapshot withSignals(Optional<Source> startedAt, List<OperationSite> notifiedAt) {
    return with(entity, startedAt, notifiedAt);
  }

  private ThreadSnapshot with(
      Optional<EntityId> entity, Optional<Source> startedAt, List<OperationSite> notifiedAt) {
    return new ThreadSnapshot(
        threadId,
        name,
        virtual,
        state,
        blocker,
        lockOwner,
        topFrames,
        entity,
        startedAt,
        notifiedAt);
  }

  /**
   * Returns whether the JVM confirms the thread blocked: {@code WAITING} or {@code BLOCKED} only; a
   * timed wait, a running thread or a thread in I/O is not blocked.
   */
  public boolean isBlocked() {
    return state == java.lang.Thread.State.WAITING || state == java.lang.Thread.State.BLOCKED;
  }
}
