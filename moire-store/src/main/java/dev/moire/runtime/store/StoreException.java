package dev.moire.runtime.store;

/** A store file cannot be opened, read or written; the message names the file and the problem. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean damaged;

  /** Creates the exception. */
  public StoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /** Creates the exception. */
  public StoreException(String message) {
    super(message);
    this.damaged = false;
  }

  private StoreException(String message, Throwable cause, boolean damaged) {
    super(message, cause);
    this.damaged = damaged;
  }

  /** The exception for a moire store that is damaged or truncated (not another kind of file). */
  static StoreException damaged(String message, Throwable cause) {
    return new StoreException(message, cause, true);
  }

  /**
   * Whether the file is a moire store that is damaged or truncated: one its owner can only move
   * aside (or delete) and start again, unlike a file that is no moire store at all.
   */
  public boolean damaged() {
    return damaged;
  }
}
