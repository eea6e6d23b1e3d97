package dev.moire.model;

import dev.moire.model.internal.Checks;

/**
 * A group of entities: those created while the scope was current.
 *
 * @param id the unique id
 * @param name the readable name, such as a test's display name
 * @param kind what the scope groups
 * @param source where it was opened
 * @param birth when it was opened
 */
public record Scope(ScopeId id, String name, ScopeKind kind, Source source, PTime birth) {
  /**
   * Validates the scope.
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Scope {
    Checks.notNull(id, "scope id");
    Checks.notBlank(name, "scope name");
    Checks.notNull(kind, "scope kind");
    Checks.notNull(source, "scope source");
    Checks.notNull(birth, "scope birth");
  }
}
