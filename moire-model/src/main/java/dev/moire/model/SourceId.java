package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.moire.model.internal.Checks;

/**
 * A small interned key for a {@link Source}, valid within one runtime's source table.
 *
 * @param value the index into the table
 */
public record SourceId(@JsonValue int value) {
  /**
   * Validates the key.
   *
   * @throws IllegalArgumentException if {@code value} is negative
   */
  public SourceId {
    Checks.nonNegative(value, "source id");
  }

  /** Returns the key with the given index. */
  @JsonCreator
  public static SourceId of(int value) {
    return new SourceId(value);
  }
}
