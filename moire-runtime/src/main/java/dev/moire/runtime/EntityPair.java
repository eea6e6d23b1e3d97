package dev.moire.runtime;

import dev.moire.model.EntityBody;
import dev.moire.model.internal.Checks;

/**
 * Two entities created together under one name, the first {@code paired_with} the second: the
 * sender and receiver of a channel, say.
 *
 * @param first the first entity, such as the sender
 * @param second the second entity, such as the receiver
 * @param <A> the first entity's body kind
 * @param <B> the second entity's body kind
 */
public record EntityPair<A extends EntityBody, B extends EntityBody>(
    EntityHandle<A> first, EntityHandle<B> second) {
  /** Validates the pair. */
  public EntityPair {
    Checks.notNull(first, "first");
    Checks.notNull(second, "second");
  }
}
