package dev.moire.runtime;

/**
 * Thrown when the harness has found that a test cannot make progress: a deadlock cycle, a lost
 * sender, or every thread of the test blocked. Its message is the finding's explanation (who waits
 * on what, held by whom, with sources) and where the evidence was stored.
 *
 * <p>It is an {@link AssertionError}, so it fails a test rather than erroring it, and an {@link
 * Error}, so it passes through methods that may not throw checked exceptions (such as {@link
 * java.util.concurrent.locks.Lock#lock()}): every tracked wait of the deadlocked test throws it,
 * which unwinds the test's threads.
 */
public final class DeadlockDetectedError extends AssertionError {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message the explanation
   */
  public DeadlockDetectedError(String message) {
    super(message);
  }
}
