package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.ExclusiveHold;
import dev.moire.runtime.internal.Holders;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A reentrant {@link Lock} tracked in the graph: adopt it by changing one constructor, {@code new
 * ReentrantLock()} to {@code new TrackedLock("accounts")}.
 *
 * <p>The holding task {@code holds} the lock from its first acquisition to its final release; a
 * task blocked acquiring it is {@code waiting_on} it (marked timed in {@code tryLock(time, unit)});
 * a task awaiting one of its conditions has given up its hold and is {@code waiting_on} the lock
 * until it reacquires. Underneath is a {@link ReentrantLock}, so the {@code Lock} contract,
 * fairness included, is the JDK's. When the harness aborts the waits of a test, a blocked {@link
 * #lock()} throws the harness's {@link Error}.
 *
 * <p>The {@code holds} edge is written lazily ({@link ExclusiveHold}): when a task starts to wait
 * for the lock, and whenever the graph is observed (a snapshot, the harness's watchdog). An
 * uncontended lock and unlock therefore touch no shared state beyond the JDK lock's own, and a hold
 * nobody could have seen never reaches the journal.
 */
public final class TrackedLock implements Lock {
  private final ReentrantLock lock;
  private final MoireRuntime runtime;
  private final Holders<EntityBody.Lock> holders;
  private final ExclusiveHold hold;
  private final Acquisition acquisition;

  /** False for a disabled runtime: then every operation is the JDK lock's, with no bookkeeping. */
  private final boolean tracking;

  /**
   * Creates a non-fair lock in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedLock(String name) {
    this(MoireRuntime.global(), name, false);
  }

  /**
   * Creates a lock in the global runtime with the given fairness.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedLock(String name, boolean fair) {
    this(MoireRuntime.global(), name, fair);
  }

  /**
   * Creates a lock in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedLock(MoireRuntime runtime, String name, boolean fair) {
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "lock name");
    this.lock = new ReentrantLock(fair);
    this.runtime = runtime;
    this.holders =
        new Holders<>(
            runtime,
            runtime.createEntity(name, new EntityBody.Lock(EntityBody.LockKind.MUTEX)),
            true);
    this.hold = new ExclusiveHold(holders.handle());
    this.acquisition = new Acquisition(holders, hold::flush);
    this.tracking = runtime.isEnabled();
  }

  /** Returns the lock's entity id, such as {@code lock:p1:accounts}. */
  public EntityId id() {
    return holders.handle().id();
  }

  @Override
  public void lock() {
    if (!tracking) {
      lock.lock();
      return;
    }
    Optional<EntityId> task = holders.polled();
    if (!fastAcquire()) {
      acquisition.block(lock);
    }
    acquiredBy(task);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    acquisition.lockInterruptibly(lock, this::fastAcquire, this::acquired);
  }

  @Override
  public boolean tryLock() {
    if (!tracking) {
      return lock.tryLock();
    }
    Optional<EntityId> task = holders.polled();
    if (!lock.tryLock()) {
      return false;
    }
    acquiredBy(task);
    return true;
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return acquisition.tryLock(lock, time, unit, this::acquired);
  }

  @Override
  public void unlock() {
    if (!tracking) {
      lock.unlock();
      return;
    }
    int count = lock.getHoldCount();
    if (count == 0) {
      throw new IllegalMonitorStateException(
          "lock '"
              + holders.handle().name()
              + "' is not held by thread '"
              + Thread.currentThread().getName()
              + "'");
    }
    if (count == 1) {
      // The edge goes before the lock is free, so two tasks never both hold it in the graph.
      hold.releasing();
    }
    lock.unlock();
  }

  /**
   * Returns a condition of this lock; a task awaiting it gives up its {@code holds} edge and is
   * {@code waiting_on} the lock until it reacquires.
   */
  @Override
  public Condition newCondition() {
    return new TrackedCondition(
        lock.newCondition(),
        lock::isHeldByCurrentThread,
        hold::releasing,
        this::reacquired,
        holders);
  }

  /** Returns whether the current thread holds this lock. */
  public boolean isHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  /** Returns how many times the current thread holds this lock. */
  public int getHoldCount() {
    return lock.getHoldCount();
  }

  /** Returns whether any thread holds this lock. */
  public boolean isLocked() {
    return lock.isLocked();
  }

  /** Returns whether this lock is fair. */
  public boolean isFair() {
    return lock.isFair();
  }

  /** Returns whether threads are waiting to acquire this lock. */
  public boolean hasQueuedThreads() {
    return lock.hasQueuedThreads();
  }

  /** As the JDK's: this lock's identity and its state, {@code [Locked by thread t]}. */
  @Override
  public String toString() {
    return JdkState.of(this, lock);
  }

  private boolean fastAcquire() {
    // A fair lock must not barge: only take it here when nobody is queued.
    return lock.isFair() ? !lock.hasQueuedThreads() && lock.tryLock() : lock.tryLock();
  }

  private void acquired() {
    acquiredBy(runtime.currentTask());
  }

  /** Records {@code task} as the holder after the first acquisition (not a reentrant one). */
  private void acquiredBy(Optional<EntityId> task) {
    if (lock.getHoldCount() == 1) {
      hold.acquired(task.orElse(null), runtime.operationSource());
    }
  }

  private void reacquired() {
    hold.acquired(runtime.currentTask().orElse(null), runtime.operationSource());
  }

  /** A condition of a tracked lock or write lock. */
  static final class TrackedCondition implements Condition {
    private final Condition inner;
    private final Runnable beforeWait;
    private final Runnable afterWait;
    private final Holders<?> holders;
    private final BooleanSupplier isHeld;

    TrackedCondition(
        Condition inner,
        BooleanSupplier isHeld,
        Runnable beforeWait,
        Runnable afterWait,
        Holders<?> holders) {
      this.inner = inner;
      this.isHeld = isHeld;
      this.beforeWait = beforeWait;
      this.afterWait = afterWait;
      this.holders = holders;
    }

    private interface Await<R> {
      R run() throws InterruptedException;
    }

    private <R> R tracked(boolean timed, Await<R> await) throws InterruptedException {
      if (!isHeld.getAsBoolean()) {
        return await.run(); // the JDK's IllegalMonitorStateException, untouched
      }
      beforeWait.run();
      try (WaitToken wait = holders.runtime().beginWait(holders.handle(), timed)) {
        try {
          return await.run();
        } catch (InterruptedException e) {
          throw wait.interrupted(e);
        }
      } finally {
        afterWait.run();
      }
    }

    @Override
    public void await() throws InterruptedException {
      tracked(
          false,
          () -> {
            inner.await();
            return null;
          });
    }

    @Override
    public void awaitUninterruptibly() {
      if (!isHeld.getAsBoolean()) {
        inner.awaitUninterruptibly(); // the JDK's IllegalMonitorStateException, untouched
        return;
      }
      beforeWait.run();
      try (WaitToken wait = holders.runtime().beginWait(holders.handle(), false)) {
        boolean interrupted = false;
        while (true) {
          try {
            inner.await();
            break;
          } catch (InterruptedException e) {
            // Not signalled (a signalled waiter returns normally): keep waiting, as the contract
            // says, with the interrupt remembered for the return; the harness's abort still ends
            // it.
            wait.checkAborted();
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      } finally {
        afterWait.run();
      }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
      return tracked(true, () -> inner.awaitNanos(nanosTimeout));
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
      return tracked(true, () -> inner.await(time, unit));
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
      return tracked(true, () -> inner.awaitUntil(deadline));
    }

    @Override
    public void signal() {
      inner.signal();
    }

    @Override
    public void signalAll() {
      inner.signalAll();
    }
  }
}
