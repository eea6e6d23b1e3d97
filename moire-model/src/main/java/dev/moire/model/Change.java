package dev.moire.model;

import dev.moire.model.internal.Checks;

/**
 * One numbered change to a runtime's graph. Sequence numbers start at 1 and have no gaps, so
 * replaying changes 1..n yields exactly the graph as it was after change n.
 *
 * @param seq the sequence number
 * @param at when the change was made
 * @param body what changed
 */
public record Change(long seq, PTime at, ChangeBody body) {
  /**
   * Validates the change.
   *
   * @throws IllegalArgumentException if {@code seq} is not positive
   * @throws NullPointerException if a component is null
   */
  public Change {
    Checks.positive(seq, "change seq");
    Checks.notNull(at, "change time");
    Checks.notNull(body, "change body");
  }

  @Override
  public String toString() {
    return "#" + seq + " " + body.kindName() + " " + body;
  }
}
