package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Holders;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes waiting tasks, as tokio's {@code Notify}: {@link #notifyOne()} wakes one waiter, or, when
 * none is waiting, lets the next {@link #notified()} return at once (at most one such permit is
 * stored); {@link #notifyWaiters()} wakes every current waiter and stores nothing.
 *
 * <p>The body shows {@code waiter_count}; each waiter is {@code waiting_on} the notify.
 */
public final class Notify {
  private final Holders<EntityBody.Notify> holders;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean permit;
  private long generation;
  private int waiters;
  private int toWake;

  /**
   * Creates a notify in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Notify(String name) {
    this(MoireRuntime.global(), name);
  }

  /**
   * Creates a notify in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Notify(MoireRuntime runtime, String name) {
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "notify name");
    this.holders =
        new Holders<>(runtime, runtime.createEntity(name, new EntityBody.Notify(0)), true);
  }

  /** Returns the notify's entity id, such as {@code notify:p1:wakeup}. */
  public EntityId id() {
    return holders.handle().id();
  }

  /**
   * Waits until notified.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void notified() throws InterruptedException {
    await(-1);
  }

  /**
   * Waits at most {@code timeout} until notified.
   *
   * @return whether it was notified
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean notified(Duration timeout) throws InterruptedException {
    Checks.notNull(timeout, "timeout");
    return await(Math.max(1, timeout.toNanos()));
  }

  private boolean await(long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      holders.polled();
      if (permit) {
        permit = false;
        return true;
      }
      long myGeneration = generation;
      waiters++;
      publish();
      try (WaitToken wait = holders.runtime().beginWait(holders.handle(), timeoutNanos > 0)) {
        long remaining = timeoutNanos;
        while (true) {
          if (generation != myGeneration) {
            return true; // notifyWaiters
          }
          if (toWake > 0) {
            toWake--;
            return true; // notifyOne
          }
          if (timeoutNanos > 0 && remaining <= 0) {
            return false;
          }
          try {
            if (timeoutNanos < 0) {
              woken.await();
            } else {
              remaining = woken.awaitNanos(remaining);
            }
          } catch (InterruptedException e) {
            throw wait.interrupted(e);
          }
          wait.checkAborted();
        }
      } finally {
        waiters--;
        publish();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes one waiter, or stores a permit for the next {@link #notified()} if none waits. */
  public void notifyOne() {
    lock.lock();
    try {
      holders.polled();
      if (waiters - toWake > 0) {
        toWake++;
        woken.signalAll();
      } else {
        permit = true;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every task waiting now; stores nothing for later ones. */
  public void notifyWaiters() {
    lock.lock();
    try {
      holders.polled();
      generation++;
      toWake = 0;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void publish() {
    int n = waiters;
    holders.handle().mutate(b -> new EntityBody.Notify(n));
  }

  @Override
  public String toString() {
    return "Notify[" + holders.handle().name() + "]";
  }
}
