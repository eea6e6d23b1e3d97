package dev.moire.runtime.store;

import dev.moire.model.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * One stored snapshot, as listed by {@link MoireStore#snapshots()}.
 *
 * @param snapshotId the snapshot's row id
 * @param process the process name of the runtime it came from
 * @param test the test it belongs to
 * @param reason why it was taken, such as {@code failure}, {@code timeout} or {@code deadlock}
 * @param takenAtEpochMillis when it was stored
 * @param entityCount how many entities it holds
 * @param message the test's failure message, empty if none
 * @param testDuration how long the test had run when the snapshot was taken, if known
 * @param run the run of the build it belongs to ({@link RunIdentity#id()}): equal for every JVM of
 *     one run; a JVM of a store from before runs had ids is a run of its own
 * @param pid the process id of the JVM that stored it
 * @param jvmStartedAtEpochMillis when that JVM's runtime started
 * @param commit the commit its run built, when known
 */
public record StoredSnapshot(
    long snapshotId,
    String process,
    String test,
    String reason,
    long takenAtEpochMillis,
    int entityCount,
    String message,
    Optional<Duration> testDuration,
    String run,
    long pid,
    long jvmStartedAtEpochMillis,
    Optional<String> commit) {
  /** Validates the record. */
  public StoredSnapshot {
    Checks.notNull(process, "process");
    Checks.notNull(test, "test");
    Checks.notNull(reason, "reason");
    Checks.notNull(message, "message");
    Checks.notNull(testDuration, "test duration");
    Checks.notNull(run, "run");
    Checks.notNull(commit, "commit");
  }
}
