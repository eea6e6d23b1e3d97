package dev.moire.runtime.sync;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Blocking;
import dev.moire.runtime.internal.Holders;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * The tracked acquisition of a JDK lock, shared by {@link TrackedLock} and the views of {@link
 * TrackedReadWriteLock}: ensure the {@code polls} edge, try without waiting, else wait with a
 * {@code waiting_on} edge (timed for a timed attempt) that the harness can abort, then record the
 * hold. Before a task waits, {@code beforeWait} runs: a lock that defers its holder's edge writes
 * it then, so the graph shows whom the waiter waits for.
 */
final class Acquisition {
  private final Holders<?> holders;
  private final Runnable beforeWait;

  Acquisition(Holders<?> holders, Runnable beforeWait) {
    this.holders = holders;
    this.beforeWait = beforeWait;
  }

  /** {@link Lock#lock()}: not interruptible, keeps the interrupt status; abortable. */
  void lock(Lock inner, BooleanSupplier fastAcquire, Runnable acquired) {
    holders.polled();
    if (!fastAcquire.getAsBoolean()) {
      block(inner);
    }
    acquired.run();
  }

  /** Waits for {@code inner} as {@link Lock#lock()} does, once a try to take it has failed. */
  void block(Lock inner) {
    beforeWait.run();
    try (WaitToken wait = holders.runtime().beginWait(holders.handle(), false)) {
      Blocking.uninterruptibly(wait, inner::lockInterruptibly);
    }
  }

  /** {@link Lock#lockInterruptibly()}. */
  void lockInterruptibly(Lock inner, BooleanSupplier fastAcquire, Runnable acquired)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    holders.polled();
    if (!fastAcquire.getAsBoolean()) {
      beforeWait.run();
      try (WaitToken wait = holders.runtime().beginWait(holders.handle(), false)) {
        try {
          inner.lockInterruptibly();
        } catch (InterruptedException e) {
          throw wait.interrupted(e);
        }
      }
    }
    acquired.run();
  }

  /** {@link Lock#tryLock()}: barges, as the JDK's does. */
  boolean tryLock(Lock inner, Runnable acquired) {
    holders.polled();
    if (inner.tryLock()) {
      acquired.run();
      return true;
    }
    return false;
  }

  /** {@link Lock#tryLock(long, TimeUnit)}: honours fairness; the wait is marked timed. */
  boolean tryLock(Lock inner, long time, TimeUnit unit, Runnable acquired)
      throws InterruptedException {
    Checks.notNull(unit, "unit");
    holders.polled();
    if (inner.tryLock(0, TimeUnit.NANOSECONDS)) {
      acquired.run();
      return true;
    }
    if (time <= 0) {
      return false;
    }
    boolean got;
    beforeWait.run();
    try (WaitToken wait = holders.runtime().beginWait(holders.handle(), true)) {
      try {
        got = inner.tryLock(time, unit);
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
    }
    if (got) {
      acquired.run();
    }
    return got;
  }
}
