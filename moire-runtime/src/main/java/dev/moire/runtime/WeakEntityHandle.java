package dev.moire.runtime;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.EntityCell;
import java.util.function.UnaryOperator;

/**
 * Updates a peer entity without keeping it alive, such as a receiver decrementing its sender's
 * queue length. Once the entity has left the graph, every update is a no-op.
 *
 * @param <B> the kind of body this handle may set
 */
public final class WeakEntityHandle<B extends EntityBody> {
  private final EntityCell cell;

  WeakEntityHandle(EntityCell cell) {
    this.cell = cell;
  }

  /** Returns the entity's id. */
  public EntityId id() {
    return cell.id();
  }

  /** Returns whether the entity is still in the graph. */
  public boolean isAlive() {
    return !cell.isRemoved() && cell.graph().enabled();
  }

  /**
   * Replaces the body as {@link EntityHandle#mutate} does, or does nothing if the entity is gone.
   *
   * @return whether a change was recorded
   */
  @SuppressWarnings("unchecked")
  public boolean mutate(UnaryOperator<B> fn) {
    Checks.notNull(fn, "mutate function");
    return cell.graph().mutate(cell, b -> fn.apply((B) b));
  }

  @Override
  public String toString() {
    return "WeakEntityHandle[" + cell.id() + "]";
  }
}
