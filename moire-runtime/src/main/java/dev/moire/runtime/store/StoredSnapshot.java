package dev.moire.runtime.store;

import dev.moire.model.internal.Checks;

/**
 * One stored snapshot, as listed by {@link MoireStore#snapshots()}.
 *
 * @param snapshotId the snapshot's row id
 * @param process the process name of the runtime it came from
 * @param test the test it belongs to
 * @param reason why it was taken, such as {@code failure}, {@code timeout} or {@code deadlock}
 * @param takenAtEpochMillis when it was stored
 * @param entityCount how many entities it holds
 */
public record StoredSnapshot(
    long snapshotId,
    String process,
    String test,
    String reason,
    long takenAtEpochMillis,
    int entityCount) {
  /** Validates the record. */
  public StoredSnapshot {
    Checks.notNull(process, "process");
    Checks.notNull(test, "test");
    Checks.notNull(reason, "reason");
  }
}
