package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.Holders;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link ReadWriteLock} tracked in the graph: adopt it by changing one constructor, {@code new
 * ReentrantReadWriteLock()} to {@code new TrackedReadWriteLock("cache")}.
 *
 * <p>One {@code lock} entity ({@code rw_lock}) stands for both views. Every task holding the read
 * lock, and the task holding the write lock, {@code holds} it; a task blocked in either view is
 * {@code waiting_on} it. A task that holds the read lock and asks for the write lock (which blocks
 * forever in the JDK) therefore shows a wait on a lock it holds itself. Underneath is a {@link
 * ReentrantReadWriteLock}, so the contracts are the JDK's.
 */
public final class TrackedReadWriteLock implements ReadWriteLock {
  private final ReentrantReadWriteLock lock;
  private final Holders<EntityBody.Lock> holders;
  private final Acquisition acquisition;
  private final ReadLock readLock = new ReadLock();
  private final WriteLock writeLock = new WriteLock();

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
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "lock name");
    this.lock = new ReentrantReadWriteLock(fair);
    this.holders =
        new Holders<>(
            runtime,
            runtime.createEntity(name, new EntityBody.Lock(EntityBody.LockKind.RW_LOCK)),
            true);
    this.acquisition = new Acquisition(holders, () -> {});
  }

  /** Returns the lock's entity id, such as {@code lock:p1:cache}. */
  public EntityId id() {
    return holders.handle().id();
  }

  @Override
  public Lock readLock() {
    return readLock;
  }

  @Override
  public Lock writeLock() {
    return writeLock;
  }

  /** Returns how many read holds the current thread has. */
  public int getReadHoldCount() {
    return lock.getReadHoldCount();
  }

  /** Returns whether the current thread holds the write lock. */
  public boolean isWriteLockedByCurrentThread() {
    return lock.isWriteLockedByCurrentThread();
  }

  /**
   * As the JDK's: this lock's identity and its state, {@code [Write locks = 0, Read locks = 1]}.
   */
  @Override
  public String toString() {
    return JdkState.of(this, lock);
  }

  /** How many holds (read and write) the current thread has: its task holds the lock while > 0. */
  private int holds() {
    return lock.getReadHoldCount() + lock.getWriteHoldCount();
  }

  private void gained() {
    if (holds() == 1) {
      holders.add(holders.task(), 1);
    }
  }

  private void losing() {
    if (holds() == 1) {
      holders.remove(holders.task(), 1);
    }
  }

  private abstract class View implements Lock {
    abstract Lock inner();

    abstract boolean barge();

    @Override
    public void lock() {
      acquisition.lock(inner(), this::barge, TrackedReadWriteLock.this::gained);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
      acquisition.lockInterruptibly(inner(), this::barge, TrackedReadWriteLock.this::gained);
    }

    @Override
    public boolean tryLock() {
      return acquisition.tryLock(inner(), TrackedReadWriteLock.this::gained);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
      return acquisition.tryLock(inner(), time, unit, TrackedReadWriteLock.this::gained);
    }

    @Override
    public void unlock() {
      int before = holds();
      if (before > 0 && held()) {
        losing();
      }
      inner().unlock(); // the JDK's IllegalMonitorStateException for a non-holder
    }

    abstract boolean held();

    /** As the JDK's views: identity and state, {@code [Read locks = 2]} or {@code [Unlocked]}. */
    @Override
    public String toString() {
      return JdkState.of(this, inner());
    }
  }

  private final class ReadLock extends View {
    @Override
    Lock inner() {
      return lock.readLock();
    }

    @Override
    boolean barge() {
      return lock.isFair()
          ? !lock.hasQueuedThreads() && lock.readLock().tryLock()
          : lock.readLock().tryLock();
    }

    @Override
    boolean held() {
      return lock.getReadHoldCount() > 0;
    }

    /** Read locks have no conditions, as in the JDK. */
    @Override
    public Condition newCondition() {
      return lock.readLock().newCondition();
    }
  }

  private final class WriteLock extends View {
    @Override
    Lock inner() {
      return lock.writeLock();
    }

    @Override
    boolean barge() {
      return lock.isFair()
          ? !lock.hasQueuedThreads() && lock.writeLock().tryLock()
          : lock.writeLock().tryLock();
    }

    @Override
    boolean held() {
      return lock.isWriteLockedByCurrentThread();
    }

    @Override
    public Condition newCondition() {
      return new TrackedLock.TrackedCondition(
          lock.writeLock().newCondition(),
          lock::isWriteLockedByCurrentThread,
          () -> {
            // Awaiting releases the write hold only; read holds taken before stay.
            if (lock.getReadHoldCount() == 0) {
              holders.remove(holders.task(), 1);
            }
          },
          () -> {
            if (lock.getReadHoldCount() == 0) {
              holders.add(holders.task(), 1);
            }
          },
          holders);
    }
  }
}
