package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.Holders;
import dev.moire.runtime.internal.SourceCapture;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link ReentrantReadWriteLock} tracked in the graph: it is one (with {@link
 * ReentrantReadWriteLock.ReadLock} and {@link ReentrantReadWriteLock.WriteLock} views that are the
 * JDK's view types), so adopting it is one constructor: {@code new ReentrantReadWriteLock()}
 * becomes {@code new TrackedReadWriteLock("cache")}, or {@code new TrackedReadWriteLock()}, named
 * after the line that creates it. Every method keeps the JDK's behaviour, exceptions, interrupt
 * handling, fairness, {@code toString} and serialization (a copy read back is a new unlocked lock
 * of the same name, tracked in the global runtime).
 *
 * <p>One {@code lock} entity ({@code rw_lock}) stands for both views. Every task holding the read
 * lock, and the task holding the write lock, {@code holds} it; a task blocked in either view is
 * {@code waiting_on} it. A task that holds the read lock and asks for the write lock (which blocks
 * forever in the JDK) therefore shows a wait on a lock it holds itself.
 *
 * <p>Holds are recorded lazily (see {@link Holders}): a read or write hold only counts, per task
 * and without a lock; the {@code holds} edges are written when the graph is observed and before a
 * task waits for either view.
 */
public final class TrackedReadWriteLock extends ReentrantReadWriteLock {
  private static final long serialVersionUID = 1L;

  /** The entity's name: what a copy read by serialization is tracked under. */
  private final String name;

  private final transient Holders<EntityBody.Lock> holders;
  private final transient Acquisition acquisition;
  private final transient TrackedReadLock readView;
  private final transient TrackedWriteLock writeView;

  /** False for a disabled runtime: then every operation is the JDK lock's, with no bookkeeping. */
  private final transient boolean tracking;

  /** Writes the holders' edges when the graph is observed; the entity holds it weakly. */
  private final transient Deferred flush = this::flushHolders;

  /**
   * Creates a non-fair lock in the global runtime, named after the line that creates it: the
   * drop-in for {@code new ReentrantReadWriteLock()}.
   */
  public TrackedReadWriteLock() {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), false);
  }

  /**
   * Creates a lock with the given fairness in the global runtime, named after the line that creates
   * it: the drop-in for {@code new ReentrantReadWriteLock(fair)}.
   */
  public TrackedReadWriteLock(boolean fair) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), fair);
  }

  /**
   * Creates a non-fair lock in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedReadWriteLock(String name) {
    this(MoireRuntime.global(), name, false);
  }

  /**
   * Creates a lock in {@code runtime} with the given fairness.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedReadWriteLock(MoireRuntime runtime, String name, boolean fair) {
    super(fair);
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "lock name");
    this.name = name;
    this.holders =
        new Holders<>(
            runtime,
            runtime.createEntity(name, new EntityBody.Lock(EntityBody.LockKind.RW_LOCK)),
            true,
            true);
    this.acquisition = new Acquisition(holders, holders::flush);
    this.tracking = runtime.isEnabled();
    if (tracking) {
      holders.handle().deferUntilObserved(flush);
    }
    this.readView = new TrackedReadLock(this);
    this.writeView = new TrackedWriteLock(this);
  }

  private void flushHolders() {
    holders.flush();
  }

  /** A copy read by serialization: a new unlocked lock of the same name, as the JDK's is. */
  private Object readResolve() {
    return new TrackedReadWriteLock(MoireRuntime.global(), name, isFair());
  }

  /** Returns the lock's entity id, such as {@code lock:p1:cache}. */
  public EntityId id() {
    return holders.handle().id();
  }

  @Override
  public ReentrantReadWriteLock.ReadLock readLock() {
    return readView;
  }

  @Override
  public ReentrantReadWriteLock.WriteLock writeLock() {
    return writeView;
  }

  @Override
  public boolean hasWaiters(Condition condition) {
    return super.hasWaiters(TrackedLock.TrackedCondition.unwrap(condition));
  }

  @Override
  public int getWaitQueueLength(Condition condition) {
    return super.getWaitQueueLength(TrackedLock.TrackedCondition.unwrap(condition));
  }

  @Override
  protected Collection<Thread> getWaitingThreads(Condition condition) {
    return super.getWaitingThreads(TrackedLock.TrackedCondition.unwrap(condition));
  }

  private void gained() {
    gainedBy(holders.task());
  }

  /**
   * Counts one more hold (read or write) of {@code task}: the holders count every acquisition, so a
   * task holds the lock while its count is above zero, without asking the JDK for hold counts.
   */
  private void gainedBy(Optional<EntityId> task) {
    holders.add(task, 1);
  }

  /** Whether a barging acquisition may take the lock now: a fair lock only with nobody queued. */
  private boolean mayBarge() {
    return !isFair() || !hasQueuedThreads();
  }

  /**
   * The tracked acquisitions of one view, through that view's own JDK operations ({@code raw}):
   * with tracking off, the JDK's alone.
   */
  private final class ViewOps {
    private final Lock raw;

    ViewOps(Lock raw) {
      this.raw = raw;
    }

    void lock() {
      if (!tracking) {
        raw.lock();
        return;
      }
      // As Acquisition.lock, with the task looked up once for the polls edge and the hold.
      Optional<EntityId> task = holders.polled();
      if (!(mayBarge() && raw.tryLock())) {
        acquisition.block(raw);
      }
      gainedBy(task);
    }

    void lockInterruptibly() throws InterruptedException {
      if (!tracking) {
        raw.lockInterruptibly();
        return;
      }
      acquisition.lockInterruptibly(
          raw, () -> mayBarge() && raw.tryLock(), TrackedReadWriteLock.this::gained);
    }

    boolean tryLock() {
      return tracking ? acquisition.tryLock(raw, TrackedReadWriteLock.this::gained) : raw.tryLock();
    }

    boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
      return tracking
          ? acquisition.tryLock(raw, time, unit, TrackedReadWriteLock.this::gained)
          : raw.tryLock(time, unit);
    }
  }

  /** The read view: the JDK's, on this lock's synchronizer, with the tracking around it. */
  private static final class TrackedReadLock extends ReentrantReadWriteLock.ReadLock {
    private static final long serialVersionUID = 1L;
    private final transient TrackedReadWriteLock owner;
    private final transient ViewOps ops;

    TrackedReadLock(TrackedReadWriteLock owner) {
      super(owner);
      this.owner = owner;
      this.ops = owner.new ViewOps(new Raw());
    }

    @Override
    public void lock() {
      ops.lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
      ops.lockInterruptibly();
    }

    @Override
    public boolean tryLock() {
      return ops.tryLock();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
      return ops.tryLock(time, unit);
    }

    @Override
    public void unlock() {
      super.unlock(); // the JDK's IllegalMonitorStateException for a non-holder
      if (owner.tracking) {
        // Released: one hold fewer (counted holds may lag the lock until the next flush, as any
        // lazy count does; the JDK has no cheaper way to ask whether this thread held it).
        owner.holders.remove(owner.holders.task(), 1);
      }
    }

    /** The JDK read lock's own operations, which the tracked ones wait through. */
    private final class Raw implements Lock {
      @Override
      public void lock() {
        TrackedReadLock.super.lock();
      }

      @Override
      public void lockInterruptibly() throws InterruptedException {
        TrackedReadLock.super.lockInterruptibly();
      }

      @Override
      public boolean tryLock() {
        return TrackedReadLock.super.tryLock();
      }

      @Override
      public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return TrackedReadLock.super.tryLock(time, unit);
      }

      @Override
      public void unlock() {
        TrackedReadLock.super.unlock();
      }

      @Override
      public Condition newCondition() {
        return TrackedReadLock.super.newCondition();
      }
    }
  }

  /** The write view: the JDK's, on this lock's synchronizer, with the tracking around it. */
  private static final class TrackedWriteLock extends ReentrantReadWriteLock.WriteLock {
    private static final long serialVersionUID = 1L;
    private final transient TrackedReadWriteLock owner;
    private final transient ViewOps ops;

    TrackedWriteLock(TrackedReadWriteLock owner) {
      super(owner);
      this.owner = owner;
      this.ops = owner.new ViewOps(new Raw());
    }

    @Override
    public void lock() {
      ops.lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
      ops.lockInterruptibly();
    }

    @Override
    public boolean tryLock() {
      return ops.tryLock();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
      return ops.tryLock(time, unit);
    }

    @Override
    public void unlock() {
      if (owner.tracking && isHeldByCurrentThread()) {
        owner.holders.remove(owner.holders.task(), 1);
      }
      super.unlock(); // the JDK's IllegalMonitorStateException for a non-holder
    }

    @Override
    public Condition newCondition() {
      Condition jdk = super.newCondition();
      if (!owner.tracking) {
        return jdk;
      }
      return new TrackedLock.TrackedCondition(
          jdk,
          this::isHeldByCurrentThread,
          () -> {
            // Awaiting releases every write hold (the JDK's await releases them all, reentrant
            // ones too); read holds taken before stay. Runs before the await, still holding.
            owner.holders.remove(owner.holders.task(), getHoldCount());
          },
          () -> owner.holders.add(owner.holders.task(), getHoldCount()),
          owner.holders);
    }

    /** The JDK write lock's own operations, which the tracked ones wait through. */
    private final class Raw implements Lock {
      @Override
      public void lock() {
        TrackedWriteLock.super.lock();
      }

      @Override
      public void lockInterruptibly() throws InterruptedException {
        TrackedWriteLock.super.lockInterruptibly();
      }

      @Override
      public boolean tryLock() {
        return TrackedWriteLock.super.tryLock();
      }

      @Override
      public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return TrackedWriteLock.super.tryLock(time, unit);
      }

      @Override
      public void unlock() {
        TrackedWriteLock.super.unlock();
      }

      @Override
      public Condition newCondition() {
        return TrackedWriteLock.super.newCondition();
      }
    }
  }
}
