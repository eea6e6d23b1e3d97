package dev.moire.model.findings;

import dev.moire.model.internal.Checks;
import java.time.Duration;

/**
 * Thresholds of the analysis. Immutable; change one with a {@code withX} method.
 *
 * @param longWait a wait longer than this is a {@code long_wait} warning
 * @param longHold a hold longer than this is a {@code long_hold} warning
 * @param stallGrace how long the journal must be quiet, with every thread blocked, for a {@code
 *     global_stall} to be certain
 * @param testEnded whether the snapshot was cut at the end of the test: every remaining hold of a
 *     lock, permit or initialisation is then a {@code leaked_hold}
 */
public record FindingSettings(
    Duration longWait, Duration longHold, Duration stallGrace, boolean testEnded) {
  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException if a duration is negative
   */
  public FindingSettings {
    Checks.notNull(longWait, "longWait");
    Checks.notNull(longHold, "longHold");
    Checks.notNull(stallGrace, "stallGrace");
    Checks.argument(!longWait.isNegative(), "longWait must not be negative: " + longWait);
    Checks.argument(!longHold.isNegative(), "longHold must not be negative: " + longHold);
    Checks.argument(!stallGrace.isNegative(), "stallGrace must not be negative: " + stallGrace);
  }

  /** Returns the defaults: waits and holds over 5 s are long, a stall needs 200 ms of quiet. */
  public static FindingSettings defaults() {
    return new FindingSettings(
        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(200), false);
  }

  /** Returns these settings with {@link #longWait()} replaced. */
  public FindingSettings withLongWait(Duration value) {
    return new FindingSettings(value, longHold, stallGrace, testEnded);
  }

  /** Returns these settings with {@link #longHold()} replaced. */
  public FindingSettings withLongHold(Duration value) {
    return new FindingSettings(longWait, value, stallGrace, testEnded);
  }

  /** Returns these settings with {@link #stallGrace()} replaced. */
  public FindingSettings withStallGrace(Duration value) {
    return new FindingSettings(longWait, longHold, value, testEnded);
  }

  /** Returns these settings with {@link #testEnded()} replaced. */
  public FindingSettings withTestEnded(boolean value) {
    return new FindingSettings(longWait, longHold, stallGrace, value);
  }
}
