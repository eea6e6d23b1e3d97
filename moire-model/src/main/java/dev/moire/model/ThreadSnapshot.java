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
 */
public record ThreadSnapshot(
    long threadId,
    String name,
    boolean virtual,
    java.lang.Thread.State state,
    Optional<String> blocker,
    Optional<String> lockOwner,
    List<Source> topFrames,
    Optional<EntityId> entity) {
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
  }

  /** Returns the same row, standing for {@code entity}. */
  public ThreadSnapshot withEntity(Optional<EntityId> entity) {
    return new ThreadSnapshot(
        threadId, name, virtual, state, blocker, lockOwner, topFrames, entity);
  }

  /**
   * Returns whether the JVM confirms the thread blocked: {@code WAITING} or {@code BLOCKED} only; a
   * timed wait, a running thread or a thread in I/O is not blocked.
   */
  public boolean isBlocked() {
    return state == java.lang.Thread.State.WAITING || state == java.lang.Thread.State.BLOCKED;
  }
}
