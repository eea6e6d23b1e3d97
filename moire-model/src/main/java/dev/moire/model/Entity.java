package dev.moire.model;

import dev.moire.model.internal.Checks;

/**
 * A tracked thing: a task, a lock, a channel endpoint... Presence in the graph means it is alive.
 *
 * @param id the unique, readable id
 * @param name the name the user gave it, made unique within its family ({@code jobs#2})
 * @param source where it was created
 * @param birth when it was created
 * @param body its current state
 */
public record Entity(EntityId id, String name, Source source, PTime birth, EntityBody body) {
  /**
   * Validates the entity.
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Entity {
    Checks.notNull(id, "entity id");
    Checks.notBlank(name, "entity name");
    Checks.notNull(source, "entity source");
    Checks.notNull(birth, "entity birth");
    Checks.notNull(body, "entity body");
  }

  /** Returns the kind of this entity, from its body. */
  public EntityKind kind() {
    return body.kind();
  }

  /** Returns a copy of this entity with another body. */
  public Entity withBody(EntityBody newBody) {
    return new Entity(id, name, source, birth, newBody);
  }

  /** Returns {@code kind 'name'}, as messages name an entity. */
  public String describe() {
    return body.kind().wireName() + " '" + name + "'";
  }
}
