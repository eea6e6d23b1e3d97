package dev.moire.runtime;

/**
 * A source of monotonic nanoseconds, injectable so moire's own tests control time.
 *
 * <p>The default is {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface NanoClock {
  /** The system's monotonic clock. */
  NanoClock SYSTEM = System::nanoTime;

  /** Returns the current time in nanoseconds from an arbitrary origin. */
  long nanoTime();
}
