package dev.moire.runtime.store;

/** A store file cannot be opened, read or written; the message names the file and the problem. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception. */
  public StoreException(String message) {
    super(message);
  }
}
