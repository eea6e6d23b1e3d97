package dev.moire.runtime.internal;

import org.jspecify.annotations.Nullable;

/**
 * The name the agent chose for the drop-in about to be constructed on this thread: code the agent
 * rewrote names its allocation site ({@code connections}, {@code ConnectionPool.permits}, {@code
 * Ledger.java:42}) just before the drop-in's constructor runs, and the constructor takes it instead
 * of walking the stack for a name.
 *
 * <p>A name is set immediately before the constructor call (after its arguments are evaluated), so
 * a drop-in created while evaluating the arguments cannot take another's name; every drop-in
 * constructor without a name takes the pending one first, so none is left for a later one.
 */
public final class AllocationSites {
  private static final ThreadLocal<String[]> PENDING = ThreadLocal.withInitial(() -> new String[1]);

  private AllocationSites() {}

  /** Sets the name of the next drop-in constructed on this thread. */
  public static void set(String name) {
    PENDING.get()[0] = name;
  }

  /** Returns and clears the name set for the drop-in being constructed, if any. */
  public static @Nullable String take() {
    String[] slot = PENDING.get();
    String name = slot[0];
    slot[0] = null;
    return name;
  }
}
