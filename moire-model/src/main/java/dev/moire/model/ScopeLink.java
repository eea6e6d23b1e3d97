package dev.moire.model;

import dev.moire.model.internal.Checks;

/**
 * Membership of an entity in a scope.
 *
 * @param entity the member
 * @param scope the group
 */
public record ScopeLink(EntityId entity, ScopeId scope) implements Comparable<ScopeLink> {
  /**
   * Validates the link.
   *
   * @throws NullPointerException if any component is null
   */
  public ScopeLink {
    Checks.notNull(entity, "linked entity");
    Checks.notNull(scope, "linked scope");
  }

  @Override
  public int compareTo(ScopeLink other) {
    int c = entity.compareTo(other.entity);
    return c != 0 ? c : scope.compareTo(other.scope);
  }
}
