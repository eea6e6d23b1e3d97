package dev.moire.runtime.channel;

/**
 * Thrown by a broadcast receiver that fell so far behind that messages meant for it were
 * overwritten. The receiver has skipped to the oldest message still kept; receiving again continues
 * from there.
 */
public final class LaggedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long missed;

  LaggedException(String channel, long missed) {
    super(
        "receiver of " + channel + " lagged by " + missed + " message" + (missed == 1 ? "" : "s"));
    this.missed = missed;
  }

  /** Returns how many messages this receiver missed. */
  public long missed() {
    return missed;
  }
}
