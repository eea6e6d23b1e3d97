package dev.moire.runtime.store;

/** Thrown when a model value cannot be written to or read from JSON; the message says why. */
public final class MoireJsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message and the underlying cause. */
  public MoireJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
