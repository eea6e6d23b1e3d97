package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.moire.model.internal.Checks;

/**
 * What an event is about: an entity or a scope.
 *
 * @param kind whether {@code id} names an entity or a scope
 * @param id the id of the entity or scope
 */
public record EventTarget(Kind kind, String id) {
  /** Whether an event is about an entity or a scope. */
  public enum Kind {
    /** The event is about an entity. */
    ENTITY("entity"),
    /** The event is about a scope. */
    SCOPE("scope");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** Returns the snake_case name. */
    @JsonValue
    public String wireName() {
      return wireName;
    }
  }

  /**
   * Validates the target.
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public EventTarget {
    Checks.notNull(kind, "event target kind");
    Checks.notBlank(id, "event target id");
  }

  /** Returns the target for an entity. */
  public static EventTarget of(EntityId entity) {
    return new EventTarget(Kind.ENTITY, entity.value());
  }

  /** Returns the target for a scope. */
  public static EventTarget of(ScopeId scope) {
    return new EventTarget(Kind.SCOPE, scope.value());
  }

  /** Returns whether this targets the given entity. */
  public boolean is(EntityId entity) {
    return kind == Kind.ENTITY && id.equals(entity.value());
  }
}
