package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Blocking;
import dev.moire.runtime.internal.Holders;
import dev.moire.runtime.internal.SourceCapture;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Semaphore} tracked in the graph: adopt it by changing one constructor, {@code new
 * Semaphore(4)} to {@code new TrackedSemaphore("db-connections", 4)}.
 *
 * <p>It is a {@code Semaphore}, with the JDK's implementation underneath, so its contract is
 * unchanged. Each task that holds at least one permit {@code holds} the semaphore (permits are
 * counted per task); a task blocked acquiring is {@code waiting_on} it. The body shows {@code
 * max_permits} (the initial permits, raised when releases push the available permits above it) and
 * {@code handed_out_permits}. As the JDK allows, any thread may release permits: a release by a
 * task that holds fewer than it releases (a limiter whose worker releases what the submitter
 * acquired) lowers {@code handed_out_permits} and marks the holders uncertain ({@code hand_off},
 * with the line of that release), since the {@code holds} edges may now name a task that holds
 * nothing; findings then never name a holder as certain. Once no permit is out, the holders are
 * known again: nobody.
 *
 * <p>Recorded lazily, as the lock is: acquiring and releasing only count, in the semaphore's own
 * state without a lock (the holders per task, see {@link Holders}, and the permits handed out); the
 * counts, the body and the {@code holds} edges reach the graph when it is observed and before a
 * task waits on the semaphore ({@link #flushToGraph}), so independent semaphores never meet on the
 * graph's lock.
 */
public final class TrackedSemaphore extends Semaphore {
  private static final long serialVersionUID = 1L;

  /** The entity's name: all a copy made by serialization needs to be tracked again. */
  private final String name;

  private final transient Holders<EntityBody.Semaphore> holders;

  /** False for a disabled runtime: then acquire and release are the JDK's, with no bookkeeping. */
  private final transient boolean tracking;

  /**
   * Guards the rare changes: {@code maxPermits}, {@code deficit}, {@code unattributed} and {@code
   * handOff}, which only a release by a task that did not acquire what it releases, a release
   * beyond what was handed out or {@link #reducePermits} change; and the publication of the body.
   */
  private final transient Object counts = new Object();

  private transient long maxPermits;

  /**
   * Permits handed out and not given back, besides what the holders count: releases by tasks that
   * did not acquire what they release take from it (zero or below). Guarded by {@code counts}. The
   * permits handed out are the holders' total plus this, read when the body is written.
   */
  private transient long unattributed;

  /** Whether the counts changed since they were last published (written only when it was not). */
  private transient volatile boolean countsStale;

  /** Writes what is pending when the graph is observed; the entity holds it weakly. */
  private final transient Deferred flush = this::flushToGraph;

  /**
   * Permits owed before any release adds to {@code maxPermits}: a semaphore may start negative, as
   * the JDK's may, and then no permit is out until releases bring it above zero.
   */
  private transient long deficit;

  /**
   * Where the holders became uncertain; empty while they are known. Written under {@code counts},
   * read by releases without it.
   */
  private transient volatile Optional<String> handOff = Optional.empty();

  /**
   * The drop-in for {@code new Semaphore(permits)}: non-fair, in the global runtime, named after
   * the line that creates it. As the JDK's, {@code permits} may be negative.
   */
  public TrackedSemaphore(int permits) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), permits, false);
  }

  /** The drop-in for {@code new Semaphore(permits, fair)}, named after its line. */
  public TrackedSemaphore(int permits, boolean fair) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), permits, fair);
  }

  /**
   * Creates a non-fair semaphore in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedSemaphore(String name, int permits) {
    this(MoireRuntime.global(), name, permits, false);
  }

  /**
   * Creates a semaphore in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedSemaphore(MoireRuntime runtime, String name, int permits, boolean fair) {
    super(permits, fair);
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "semaphore name");
    this.name = name;
    this.maxPermits = Math.max(0, permits);
    this.deficit = Math.max(0, -(long) permits);
    this.tracking = runtime.isEnabled();
    this.holders =
        new Holders<>(
            runtime,
            runtime.createEntity(name, new EntityBody.Semaphore(Math.max(0, permits), 0)),
            true,
            true);
    if (tracking) {
      holders.handle().deferUntilObserved(flush);
    }
  }

  /** Writes the counts and the holders to the graph: when it is observed, and before a wait. */
  private void flushToGraph() {
    holders.flush();
    synchronized (counts) {
      if (countsStale) {
        countsStale = false;
        long out = Math.max(0, holders.total() + unattributed);
        maxPermits = Math.max(maxPermits, out);
        EntityBody.Semaphore body = new EntityBody.Semaphore(maxPermits, out, handOff);
        holders.handle().mutate(b -> body);
      }
    }
  }

  /** Begins a tracked wait on the semaphore, with its state written first. */
  private WaitToken waitOn(boolean timed) {
    flushToGraph();
    return holders.runtime().beginWait(holders.handle(), timed);
  }

  /**
   * A copy read by serialization is a semaphore of its own, as the JDK's is: tracked again under
   * the same name in the global runtime, with the permits that were available when it was written
   * (whoever held permits in the writer holds nothing here).
   */
  private Object readResolve() {
    return new TrackedSemaphore(MoireRuntime.global(), name, availablePermits(), isFair());
  }

  /** Returns the semaphore's entity id, such as {@code semaphore:p1:db-connections}. */
  public EntityId id() {
    return holders.handle().id();
  }

  @Override
  public void acquire() throws InterruptedException {
    acquire(1);
  }

  @Override
  public void acquire(int permits) throws InterruptedException {
    if (!tracking) {
      super.acquire(permits);
      return;
    }
    checkArg(permits);
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Optional<EntityId> task = holders.polled();
    if (!fastAcquire(permits)) {
      try (WaitToken wait = waitOn(false)) {
        try {
          super.acquire(permits);
        } catch (InterruptedException e) {
          throw wait.interrupted(e);
        }
      }
    }
    acquired(permits, task);
  }

  @Override
  public void acquireUninterruptibly() {
    acquireUninterruptibly(1);
  }

  @Override
  public void acquireUninterruptibly(int permits) {
    checkArg(permits);
    holders.polled();
    if (!fastAcquire(permits)) {
      try (WaitToken wait = waitOn(false)) {
        Blocking.uninterruptibly(wait, () -> super.acquire(permits));
      }
    }
    acquired(permits);
  }

  @Override
  public boolean tryAcquire() {
    return tryAcquire(1);
  }

  @Override
  public boolean tryAcquire(int permits) {
    checkArg(permits);
    holders.polled();
    if (super.tryAcquire(permits)) {
      acquired(permits);
      return true;
    }
    return false;
  }

  @Override
  public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    return tryAcquire(1, timeout, unit);
  }

  @Override
  public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
    checkArg(permits);
    Checks.notNull(unit, "unit");
    holders.polled();
    if (super.tryAcquire(permits, 0, TimeUnit.NANOSECONDS)) {
      acquired(permits);
      return true;
    }
    if (timeout <= 0) {
      return false;
    }
    boolean got;
    try (WaitToken wait = waitOn(true)) {
      try {
        got = super.tryAcquire(permits, timeout, unit);
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
    }
    if (got) {
      acquired(permits);
    }
    return got;
  }

  @Override
  public void release() {
    release(1);
  }

  @Override
  public void release(int permits) {
    if (!tracking) {
      super.release(permits);
      return;
    }
    checkArg(permits);
    long own = holders.remove(holders.task(), permits);
    if (own == permits && handOff.isEmpty()) {
      // The common case: the task gives back what it took. No lock; the JDK's release after.
      publish();
      super.release(permits);
      return;
    }
    synchronized (counts) {
      // Releasing more than was handed out adds permits, as the JDK allows.
      long outBefore = Math.max(0, holders.total() + own + unattributed);
      long returned = Math.min(permits, outBefore);
      if (own < returned && handOff.isEmpty()) {
        // Permits someone else acquired come back through this task: who holds what is unknown.
        handOff = Optional.of(SourceCapture.caller().location());
      }
      unattributed -= returned - own;
      long added = permits - returned;
      long owed = Math.min(added, deficit); // a semaphore that started negative pays its debt first
      deficit -= owed;
      maxPermits += added - owed;
      if (outBefore - returned == 0 && handOff.isPresent()) {
        holders.clear(); // nobody holds a permit: the stale holds go, the holders are known again
        unattributed = 0;
        handOff = Optional.empty();
      }
      super.release(permits);
      publish();
    }
  }

  @Override
  public int drainPermits() {
    int n = super.drainPermits();
    if (n > 0) {
      acquired(n);
    }
    return n;
  }

  @Override
  protected void reducePermits(int reduction) {
    super.reducePermits(reduction);
    synchronized (counts) {
      maxPermits = Math.max(0, maxPermits - reduction);
      publish();
    }
  }

  private boolean fastAcquire(int permits) {
    // A fair semaphore must not barge: only take permits here when nobody is queued.
    return (!isFair() || !hasQueuedThreads()) && super.tryAcquire(permits);
  }

  private void acquired(int permits) {
    acquired(permits, holders.task());
  }

  private void acquired(int permits, Optional<EntityId> task) {
    holders.add(task, permits);
    publish();
  }

  /** Marks the counts to be published at the next flush (a plain read when they are marked). */
  private void publish() {
    if (!countsStale) {
      countsStale = true;
    }
  }

  private static void checkArg(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException();
    }
  }
}
