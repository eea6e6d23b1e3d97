package dev.moire.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.moire.model.internal.Checks;
import java.time.Duration;

/**
 * A point in a runtime's life: nanoseconds since that runtime started. {@link RuntimeInfo} holds
 * the wall-clock anchor that turns it into a date.
 *
 * @param nanos nanoseconds since the runtime started
 */
public record PTime(@JsonValue long nanos) implements Comparable<PTime> {
  /** The moment the runtime started. */
  public static final PTime ZERO = new PTime(0);

  /**
   * Validates the time.
   *
   * @throws IllegalArgumentException if {@code nanos} is negative
   */
  public PTime {
    Checks.nonNegative(nanos, "ptime nanos");
  }

  /** Returns the time with the given nanoseconds since start. */
  @JsonCreator
  public static PTime ofNanos(long nanos) {
    return new PTime(nanos);
  }

  /** Returns the time elapsed from {@code earlier} to this time (negative if it is later). */
  public Duration since(PTime earlier) {
    return Duration.ofNanos(nanos - earlier.nanos);
  }

  @Override
  public int compareTo(PTime other) {
    return Long.compare(nanos, other.nanos);
  }

  @Override
  public String toString() {
    return String.format("%.3fms", nanos / 1_000_000.0);
  }
}
