package dev.moire.runtime.internal;

import dev.moire.runtime.WaitToken;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/** The two shapes of tracked blocking that moire's primitives share. */
public final class Blocking {
  private Blocking() {}

  /** An action that may be interrupted, such as {@code Lock.lockInterruptibly}. */
  @FunctionalInterface
  public interface Interruptible {
    /** Runs the action. */
    void run() throws InterruptedException;
  }

  /**
   * Awaits {@code condition} (whose lock the caller holds) while {@code blocked} is true, at most
   * {@code timeoutNanos} ({@code < 0}: without a limit). An interrupt is rethrown, unless the
   * harness aborted the wait: then its error is thrown.
   *
   * @return true once {@code blocked} is false; false on timeout
   */
  public static boolean awaitWhile(
      Condition condition, WaitToken wait, BooleanSupplier blocked, long timeoutNanos)
      throws InterruptedException {
    long remaining = timeoutNanos;
    while (blocked.getAsBoolean()) {
      if (timeoutNanos >= 0 && remaining <= 0) {
        return false;
      }
      try {
        if (timeoutNanos < 0) {
          condition.await();
        } else {
          remaining = condition.awaitNanos(remaining);
        }
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
      wait.checkAborted();
    }
    return true;
  }

  /**
   * Runs {@code action} until it completes without being interrupted, as an uninterruptible
   * acquisition must, keeping the interrupt status for the caller; an abort by the harness throws
   * its error instead.
   */
  public static void uninterruptibly(WaitToken wait, Interruptible action) {
    boolean interrupted = false;
    while (true) {
      try {
        action.run();
        break;
      } catch (InterruptedException e) {
        wait.checkAborted();
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
