package dev.moire.model.findings;

import dev.moire.model.internal.Checks;
import java.util.List;

/**
 * What the harness saw of the rest of the JVM when it judged a test: whether any thread outside the
 * test's stuck threads could still act, and which. The verdict rule (closed world, stable evidence)
 * lets a finding whose wakers moire cannot know fail a test only in a <i>closed</i> world: every
 * live thread of the JVM is stuck too, or provably idle (a pool worker waiting for work, the JVM's,
 * the test framework's and moire's housekeeping).
 *
 * <p>A thread that runs, sleeps in a timed wait, reads a socket or waits on a child process keeps
 * the world open: it may end any wait moire cannot see into.
 *
 * @param observed whether the harness looked at all (a snapshot judged outside the watchdog did
 *     not: its world is unknown, and counts as open)
 * @param active the threads that could act, each described for a person (name, state, frame)
 */
public record World(boolean observed, List<String> active) {
  private static final World UNKNOWN = new World(false, List.of());
  private static final World CLOSED = new World(true, List.of());

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if {@code active} is null
   */
  public World {
    active = List.copyOf(Checks.notNull(active, "active threads"));
  }

  /** Returns the world of a snapshot nobody looked around: open, as far as anyone can tell. */
  public static World unknown() {
    return UNKNOWN;
  }

  /** Returns a world in which no thread outside the stuck ones can act. */
  public static World closed() {
    return CLOSED;
  }

  /** Returns a world kept open by the given threads. */
  public static World openBy(List<String> active) {
    Checks.argument(!active.isEmpty(), "an open world names at least one active thread");
    return new World(true, active);
  }

  /** Returns whether nothing outside the stuck threads could act. */
  public boolean isClosed() {
    return observed && active.isEmpty();
  }

  /** Returns why the world is open, for an explanation; empty when it is closed. */
  public String whyOpen() {
    if (isClosed()) {
      return "";
    }
    if (!observed) {
      return "the rest of the JVM was not observed";
    }
    int shown = Math.min(3, active.size());
    String names = String.join(", ", active.subList(0, shown));
    return (active.size() == 1 ? "a thread outside the stuck ones could still act: " : "")
        + (active.size() > 1 ? active.size() + " threads outside the stuck ones could act: " : "")
        + names
        + (active.size() > shown ? " and " + (active.size() - shown) + " more" : "");
  }
}
