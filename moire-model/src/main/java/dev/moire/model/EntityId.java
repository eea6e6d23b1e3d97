package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.moire.model.internal.Checks;

/**
 * The id of an entity, readable and stable within a process, such as {@code mpsc:p4711:jobs:tx} or
 * {@code lock:p4711:accounts#2}.
 *
 * @param value the id text
 */
public record EntityId(@JsonValue String value) implements Comparable<EntityId> {
  /**
   * Validates the id.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is blank
   */
  public EntityId {
    Checks.notBlank(value, "entity id");
  }

  /** Returns the id with the given text; the JSON form of an id is its text. */
  @JsonCreator
  public static EntityId of(String value) {
    return new EntityId(value);
  }

  @Override
  public int compareTo(EntityId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
