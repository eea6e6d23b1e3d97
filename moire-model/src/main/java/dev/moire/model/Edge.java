package dev.moire.model;

import dev.moire.model.internal.Checks;
import java.util.Optional;

/**
 * A relation between two entities, read as "src KIND dst".
 *
 * @param src the entity the sentence starts with (the task, for polls, waiting_on and holds)
 * @param dst the entity the sentence ends with
 * @param kind the verb
 * @param timed for {@code waiting_on}: whether the wait has a timeout; always false otherwise
 * @param since when the edge appeared
 * @param source where the operation that made the edge was called, when captured
 */
public record Edge(
    EntityId src,
    EntityId dst,
    EdgeKind kind,
    boolean timed,
    PTime since,
    Optional<Source> source) {
  /**
   * Validates the edge.
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if a non-{@code waiting_on} edge is marked timed
   */
  public Edge {
    Checks.notNull(src, "edge src");
    Checks.notNull(dst, "edge dst");
    Checks.notNull(kind, "edge kind");
    Checks.notNull(since, "edge since");
    Checks.notNull(source, "edge source");
    if (timed && kind != EdgeKind.WAITING_ON) { // the message only on failure: a hot path
      throw new IllegalArgumentException(
          "only waiting_on edges can be timed: " + src + " " + kind + " " + dst);
    }
  }

  /** Returns the key that identifies this edge. */
  public EdgeKey key() {
    return new EdgeKey(src, dst, kind);
  }

  /** Returns whether this edge touches the given entity at either end. */
  public boolean touches(EntityId id) {
    return src.equals(id) || dst.equals(id);
  }

  @Override
  public String toString() {
    return src + " " + kind + (timed ? " (timed) " : " ") + dst;
  }
}
