package dev.moire.runtime.internal;

import dev.moire.model.Source;
import org.jspecify.annotations.Nullable;

/**
 * The line of the operation about to run on this thread, for the drop-in it runs on: code the agent
 * rewrote says where it counts a latch down or completes a future ({@code
 * AgentBridges.countDown(latch, site)}), and the drop-in takes that line instead of walking the
 * stack. The line is set for one primitive: a future's completion that completes its dependents on
 * the same thread gives them none.
 */
public final class OperationSites {
  /** [0]: the primitive; [1]: the line of the operation about to run on it. */
  private static final ThreadLocal<@Nullable Object[]> PENDING =
      ThreadLocal.withInitial(() -> new Object[2]);

  /** Stands for "the next task submitted to a tracked executor on this thread". */
  public static final Object SUBMIT = new Object();

  /** Whether any line was ever set: until then a primitive does not look (no agent, no cost). */
  private static volatile boolean used;

  private OperationSites() {}

  /**
   * Sets the line of the next operation on {@code primitive} on this thread; returns this thread's
   * slot, for {@link #clear}.
   */
  public static Object[] set(Object primitive, Source at) {
    if (!used) {
      used = true;
    }
    Object[] slot = PENDING.get();
    slot[0] = primitive;
    slot[1] = at;
    return slot;
  }

  /** Clears what {@link #set} left in {@code slot}, whether or not the primitive took it. */
  public static void clear(Object[] slot) {
    slot[0] = null;
    slot[1] = null;
  }

  /** Returns and clears the line set for an operation on {@code primitive}, if it was. */
  public static @Nullable Source take(Object primitive) {
    if (!used) {
      return null;
    }
    Object[] slot = PENDING.get();
    if (slot[0] != primitive) {
      return null;
    }
    Source at = (Source) slot[1];
    slot[0] = null;
    slot[1] = null;
    return at;
  }
}
