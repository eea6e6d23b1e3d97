package dev.moire.model.internal;

import java.util.Objects;

/**
 * The one preconditions helper of moire: NPE for null, IAE for a bad value, ISE for a wrong
 * lifecycle. Every message names the thing and the value.
 */
public final class Checks {
  private Checks() {}

  /** Returns {@code value}, or throws NPE saying "{what} must not be null". */
  public static <T> T notNull(T value, String what) {
    return Objects.requireNonNull(value, () -> what + " must not be null");
  }

  /** Returns {@code value}, or throws NPE/IAE when it is null or blank. */
  public static String notBlank(String value, String what) {
    notNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank: '" + value + "'");
    }
    return value;
  }

  /** Returns {@code value}, or throws IAE when it is negative. */
  public static long nonNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + value);
    }
    return value;
  }

  /** Returns {@code value}, or throws IAE when it is negative. */
  public static int nonNegative(int value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + value);
    }
    return value;
  }

  /** Returns {@code value}, or throws IAE when it is zero or negative. */
  public static long positive(long value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
    return value;
  }

  /** Returns {@code value}, or throws IAE when it is zero or negative. */
  public static int positive(int value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
    return value;
  }

  /** Throws IAE with {@code message} unless {@code condition} holds. */
  public static void argument(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Throws ISE with {@code message} unless {@code condition} holds. */
  public static void state(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
