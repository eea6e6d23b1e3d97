package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.ExclusiveHold;
import dev.moire.runtime.internal.Holders;
import dev.moire.runtime.internal.SourceCapture;
import java.util.Collection;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A {@link ReentrantLock} tracked in the graph: it is one (a field or parameter typed {@code
 * ReentrantLock} takes it, and every method keeps the JDK's behaviour, exceptions, interrupt
 * handling, fairness and {@code toString}), so adopting it is one constructor: {@code new
 * ReentrantLock()} becomes {@code new TrackedLock("accounts")}, or {@code new TrackedLock()}, named
 * after the line that creates it.
 *
 * <p>The holding task {@code holds} the lock from its first acquisition to its final release; a
 * task blocked acquiring it is {@code waiting_on} it (marked timed in {@code tryLock(time, unit)});
 * a task awaiting one of its conditions has given up its hold and is {@code waiting_on} the lock
 * until it reacquires. When the harness aborts the waits of a test, a blocked {@link #lock()}
 * throws the harness's {@link Error}.
 *
 * <p>The {@code holds} edge is written lazily ({@link ExclusiveHold}): when a task starts to wait
 * for the lock, and whenever the graph is observed (a snapshot, the harness's watchdog). An
 * uncontended lock and unlock therefore touch no shared state beyond the JDK lock's own, and a hold
 * nobody could have seen never reaches the journal.
 *
 * <p>Serialized, it is written as the JDK's lock is (its state) plus its name; read back, it is a
 * new unlocked lock of that name, tracked in the global runtime.
 */
public final class TrackedLock extends ReentrantLock {
  private static final long serialVersionUID = 1L;

  /** The entity's name: what a copy read by serialization is tracked under. */
  private final String name;

  private final transient MoireRuntime runtime;
  private final transient Holders<EntityBody.Lock> holders;
  private final transient ExclusiveHold hold;
  private final transient Acquisition acquisition;

  /** The JDK lock's own operations, for the tracked ones to wait through. */
  private final transient Lock raw = new Raw();

  /** False for a disabled runtime: then every operation is the JDK lock's, with no bookkeeping. */
  private final transient boolean tracking;

  /**
   * Creates a non-fair lock in the global runtime, named after the line that creates it ({@code
   * Bank.java:42}): the drop-in for {@code new ReentrantLock()}.
   */
  public TrackedLock() {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), false);
  }

  /**
   * Creates a lock with the given fairness in the global runtime, named after the line that creates
   * it: the drop-in for {@code new ReentrantLock(fair)}.
   */
  public TrackedLock(boolean fair) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), fair);
  }

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
    super(fair);
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "lock name");
    this.name = name;
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

  /** A copy read by serialization: a new unlocked lock of the same name, as the JDK's is. */
  private Object readResolve() {
    return new TrackedLock(MoireRuntime.global(), name, isFair());
  }

  /** Returns the lock's entity id, such as {@code lock:p1:accounts}. */
  public EntityId id() {
    return holders.handle().id();
  }

  @Override
  public void lock() {
    if (!tracking) {
      super.lock();
      return;
    }
    Optional<EntityId> task = holders.polled();
    if (!fastAcquire()) {
      acquisition.block(raw);
    }
    acquiredBy(task);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    if (!tracking) {
      super.lockInterruptibly();
      return;
    }
    acquisition.lockInterruptibly(raw, this::fastAcquire, this::acquired);
  }

  @Override
  public boolean tryLock() {
    if (!tracking) {
      return super.tryLock();
    }
    Optional<EntityId> task = holders.polled();
    if (!super.tryLock()) {
      return false;
    }
    acquiredBy(task);
    return true;
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (!tracking) {
      return super.tryLock(time, unit);
    }
    return acquisition.tryLock(raw, time, unit, this::acquired);
  }

  @Override
  public void unlock() {
    if (!tracking) {
      super.unlock();
      return;
    }
    int count = getHoldCount();
    if (count == 0) {
      // The JDK's exception, with the lock and thread named (the JDK's carries no message).
      throw new IllegalMonitorStateException(
          "lock '" + name + "' is not held by thread '" + Thread.currentThread().getName() + "'");
    }
    if (count == 1) {
      // The edge goes before the lock is free, so two tasks never both hold it in the graph.
      hold.releasing();
    }
    super.unlock();
  }

  /**
   * Returns a condition of this lock; a task awaiting it gives up its {@code holds} edge and is
   * {@code waiting_on} the lock until it reacquires. The lock's own {@link #hasWaiters}, {@link
   * #getWaitQueueLength} and {@link #getWaitingThreads} accept it.
   */
  @Override
  public Condition newCondition() {
    Condition jdk = super.newCondition();
    if (!tracking) {
      return jdk;
    }
    return new TrackedCondition(
        jdk, this::isHeldByCurrentThread, hold::releasing, this::reacquired, holders);
  }

  @Override
  public boolean hasWaiters(Condition condition) {
    return super.hasWaiters(TrackedCondition.unwrap(condition));
  }

  @Override
  public int getWaitQueueLength(Condition condition) {
    return super.getWaitQueueLength(TrackedCondition.unwrap(condition));
  }

  @Override
  protected Collection<Thread> getWaitingThreads(Condition condition) {
    return super.getWaitingThreads(TrackedCondition.unwrap(condition));
  }

  private boolean fastAcquire() {
    // A fair lock must not barge: only take it here when nobody is queued.
    return isFair() ? !hasQueuedThreads() && super.tryLock() : super.tryLock();
  }

  private void acquired() {
    acquiredBy(runtime.currentTask());
  }

  /** Records {@code task} as the holder after the first acquisition (not a reentrant one). */
  private void acquiredBy(Optional<EntityId> task) {
    if (getHoldCount() == 1) {
      hold.acquired(task.orElse(null), runtime.operationSource());
    }
  }

  private void reacquired() {
    hold.acquired(runtime.currentTask().orElse(null), runtime.operationSource());
  }

  /** The JDK lock's own acquisition, which the tracked one waits through. */
  private final class Raw implements Lock {
    @Override
    public void lock() {
      TrackedLock.super.lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
      TrackedLock.super.lockInterruptibly();
    }

    @Override
    public boolean tryLock() {
      return TrackedLock.super.tryLock();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
      return TrackedLock.super.tryLock(time, unit);
    }

    @Override
    public void unlock() {
      TrackedLock.super.unlock();
    }

    @Override
    public Condition newCondition() {
      return TrackedLock.super.newCondition();
    }
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

    /** The JDK condition under a tracked one, for the lock's own queries; others as they are. */
    static Condition unwrap(Condition c) {
      return c instanceof TrackedCondition t ? t.inner : c;
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
