package dev.moire.model;

import dev.moire.model.internal.Checks;
import java.time.Instant;

/**
 * Which runtime a snapshot comes from, and the wall-clock anchor of its {@link PTime}s.
 *
 * @param process the process name used in ids, such as {@code p4711}
 * @param pid the operating-system process id
 * @param startedAtEpochMillis the wall-clock time of {@link PTime#ZERO}, in epoch milliseconds
 */
public record RuntimeInfo(String process, long pid, long startedAtEpochMillis) {
  /**
   * Validates the info.
   *
   * @throws NullPointerException if {@code process} is null
   * @throws IllegalArgumentException if {@code process} is blank or contains a colon
   */
  public RuntimeInfo {
    Checks.notBlank(process, "process name");
    Checks.argument(
        process.indexOf(':') < 0, "process name must not contain ':': '" + process + "'");
  }

  /** Returns the wall-clock instant of a point in this runtime's life. */
  public Instant wallClock(PTime time) {
    return Instant.ofEpochMilli(startedAtEpochMillis).plusNanos(time.nanos());
  }
}
