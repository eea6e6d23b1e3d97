package dev.moire.runtime;

/**
 * One tracked blocking wait, from {@link MoireRuntime#beginWait}: while it is open, the current
 * task is {@code waiting_on} the resource, and the harness can abort it.
 *
 * <pre>{@code
 * try (WaitToken wait = runtime.beginWait(handle, false)) {
 *   while (!ready) {
 *     try {
 *       condition.await();
 *     } catch (InterruptedException e) {
 *       throw wait.interrupted(e); // the harness's Error if it aborted the wait, else e
 *     }
 *   }
 * }
 * }</pre>
 */
public interface WaitToken extends AutoCloseable {
  /**
   * Returns {@code e} to rethrow, or throws the harness's {@link Error} when the interrupt came
   * from {@link MoireRuntime#abortWaits}.
   */
  InterruptedException interrupted(InterruptedException e);

  /** Throws the harness's {@link Error} if the waits of this thread's scope have been aborted. */
  void checkAborted();

  /** Returns the nanoseconds since the wait began. */
  long elapsedNanos();

  /** Ends the wait: the {@code waiting_on} edge goes away. Closing twice is harmless. */
  @Override
  void close();
}
