package dev.moire.model;

import dev.moire.model.internal.Checks;

/**
 * A point-in-time fact about an entity or a scope.
 *
 * @param id the sequence number of the change that appended it, unique within a runtime
 * @param target the entity or scope it is about
 * @param at when it happened
 * @param source where in the user's code it happened
 * @param body what happened
 */
public record Event(long id, EventTarget target, PTime at, Source source, EventBody body) {
  /**
   * Validates the event.
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if {@code id} is not positive
   */
  public Event {
    Checks.positive(id, "event id");
    Checks.notNull(target, "event target");
    Checks.notNull(at, "event time");
    Checks.notNull(source, "event source");
    Checks.notNull(body, "event body");
  }
}
