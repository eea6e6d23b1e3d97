package dev.moire.model;

import dev.moire.model.internal.Checks;

/**
 * What makes an edge unique: at most one edge of a kind joins two entities.
 *
 * @param src the entity the sentence starts with
 * @param dst the entity the sentence ends with
 * @param kind the verb
 */
public record EdgeKey(EntityId src, EntityId dst, EdgeKind kind) implements Comparable<EdgeKey> {
  /**
   * Validates the key.
   *
   * @throws NullPointerException if any component is null
   */
  public EdgeKey {
    Checks.notNull(src, "edge src");
    Checks.notNull(dst, "edge dst");
    Checks.notNull(kind, "edge kind");
  }

  @Override
  public int compareTo(EdgeKey other) {
    int c = src.compareTo(other.src);
    if (c == 0) {
      c = dst.compareTo(other.dst);
    }
    return c != 0 ? c : kind.compareTo(other.kind);
  }

  @Override
  public String toString() {
    return src + " " + kind + " " + dst;
  }
}
