package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.moire.model.internal.Checks;

/**
 * The id of a scope, such as {@code test:p4711:OrdersTest.drains()}.
 *
 * @param value the id text
 */
public record ScopeId(@JsonValue String value) implements Comparable<ScopeId> {
  /**
   * Validates the id.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is blank
   */
  public ScopeId {
    Checks.notBlank(value, "scope id");
  }

  /** Returns the id with the given text; the JSON form of an id is its text. */
  @JsonCreator
  public static ScopeId of(String value) {
    return new ScopeId(value);
  }

  @Override
  public int compareTo(ScopeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
