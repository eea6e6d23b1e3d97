package dev.moire.runtime.store;

import dev.moire.model.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * What a stored snapshot is of: the test, why it was taken, the test's failure message and how long
 * the test had run.
 *
 * @param test the test's display path, such as {@code BankTest > transfer()}
 * @param reason why the snapshot was taken: {@code failure}, {@code timeout}, {@code deadlock},
 *     {@code stall}, {@code lost_sender}, {@code passed}...
 * @param message the failure message, empty if none
 * @param testDuration how long the test had run, if known
 */
public record SnapshotLabel(
    String test, String reason, String message, Optional<Duration> testDuration) {
  /**
   * Validates the label.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code test} or {@code reason} is blank
   */
  public SnapshotLabel {
    Checks.notBlank(test, "test name");
    Checks.notBlank(reason, "reason");
    Checks.notNull(message, "message");
    Checks.notNull(testDuration, "test duration");
  }

  /** Returns a label with no message and no duration. */
  public static SnapshotLabel of(String test, String reason) {
    return new SnapshotLabel(test, reason, "", Optional.empty());
  }
}
