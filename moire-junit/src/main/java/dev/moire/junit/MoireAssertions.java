package dev.moire.junit;

import dev.moire.model.Snapshot;

/**
 * The entry point of moire's AssertJ assertions.
 *
 * <pre>{@code
 * MoireAssertions.assertThat(graph.snapshot())
 *     .hasNoDeadlocks()
 *     .hasNoDanglingReceivers()
 *     .task("consumer").isWaitingOn("jobs");
 * }</pre>
 */
public final class MoireAssertions {
  private MoireAssertions() {}

  /** Starts assertions on a snapshot. */
  public static SnapshotAssert assertThat(Snapshot actual) {
    return new SnapshotAssert(actual);
  }
}
