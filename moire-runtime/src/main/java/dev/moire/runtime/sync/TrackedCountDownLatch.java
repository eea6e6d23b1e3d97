package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Source;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Holders;
import dev.moire.runtime.internal.OperationSites;
import dev.moire.runtime.internal.SiteTally;
import dev.moire.runtime.internal.SourceCapture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CountDownLatch} tracked in the graph: adopt it by changing one constructor, {@code new
 * CountDownLatch(2)} to {@code new TrackedCountDownLatch("ready", 2)}.
 *
 * <p>The body shows the remaining {@code count}; a task in {@link #await()} is {@code waiting_on}
 * the latch (timed in {@link #await(long, TimeUnit)}), and each counting task {@code polls} it
 * (unless its count-down opened a latch nobody has seen). The count is recorded lazily: a
 * count-down only marks it, and it is written when the graph is observed and before a task waits.
 * The latch itself enters the graph when it is first observed or waited on; one counted down to
 * zero before that never does (a latch per request costs the graph nothing).
 *
 * <p>Where it was counted down, and by which threads, is in the body too when the lines are known:
 * code rewritten by moire-agent says where each count-down is, and with {@code
 * moire.sources.per-operation} each count-down finds its line. A latch that never opens then says
 * where its missing count was meant to come from.
 */
public final class TrackedCountDownLatch extends CountDownLatch {
  /** Null when the runtime is disabled: then every method is the JDK's alone. */
  private final @Nullable Holders<EntityBody.Latch> holders;

  /**
   * Writes the count to the graph when it is observed and before a task waits; held here, the
   * entity holds it weakly. Null when the runtime is disabled.
   */
  private final @Nullable Deferred flush;

  /** Whether a count-down happened since the count was last written. */
  private volatile boolean countStale;

  /** Where it was counted down, once a count-down's line is known (see {@link #COUNTED_DOWN}). */
  @SuppressWarnings("FieldMayBeFinal") // set once through COUNTED_DOWN
  private volatile @Nullable SiteTally countedDown;

  /** Whether {@link #flush} is registered: only once a count-down left something to write. */
  private volatile boolean flushRegistered;

  private static final java.lang.invoke.VarHandle COUNTED_DOWN;

  static {
    try {
      COUNTED_DOWN =
          java.lang.invoke.MethodHandles.lookup()
              .findVarHandle(TrackedCountDownLatch.class, "countedDown", SiteTally.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** With tracking off, an id that names no entity, made when first asked for. */
  private @Nullable EntityId untrackedId;

  /**
   * The drop-in for {@code new CountDownLatch(count)}: in the global runtime, named after the line
   * that creates it.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public TrackedCountDownLatch(int count) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), count);
  }

  /**
   * Creates a latch in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code count} is negative
   */
  public TrackedCountDownLatch(String name, int count) {
    this(MoireRuntime.global(), name, count);
  }

  /**
   * Creates a latch in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code count} is negative
   */
  public TrackedCountDownLatch(MoireRuntime runtime, String name, int count) {
    super(checkCount(name, count));
    Checks.notNull(runtime, "runtime");
    this.holders =
        runtime.isEnabled()
            ? new Holders<>(
                runtime,
                // Lazily (a latch per request is common): a latch counted down to zero before
                // anyone looks never enters the graph (see countDown).
                runtime.createEntityLazily(
                    name, new EntityBody.Latch(count), SourceCapture.creation(name)),
                true)
            : null;
    if (holders != null && count == 0) {
      holders.handle().forgoBirth();
    }
    this.flush = holders == null ? null : this::flushCount;
  }

  /** The tally of where it was counted down, made by the first count-down whose line is known. */
  private SiteTally tally() {
    SiteTally t = countedDown;
    if (t == null) {
      SiteTally fresh = new SiteTally();
      t = COUNTED_DOWN.compareAndSet(this, null, fresh) ? fresh : countedDown;
    }
    return t;
  }

  /** Writes the count, if a count-down happened since it was last written. */
  private void flushCount() {
    Holders<EntityBody.Latch> holders = this.holders;
    if (holders != null && countStale) {
      countStale = false;
      long count = getCount();
      SiteTally tally = countedDown;
      var sites =
          tally == null ? java.util.List.<dev.moire.model.OperationSite>of() : tally.sites();
      holders
          .handle()
          .mutate(
              b ->
                  count < b.count() || !sites.equals(b.countedDown())
                      ? new EntityBody.Latch(Math.min(count, b.count()), sites)
                      : b);
    }
  }

  private WaitToken waitOn(Holders<EntityBody.Latch> holders, boolean timed) {
    flushCount();
    return holders.runtime().beginWait(holders.handle(), timed);
  }

  private static int checkCount(String name, int count) {
    Checks.notBlank(name, "latch name");
    if (count < 0) {
      throw new IllegalArgumentException(
          "count of latch '" + name + "' must not be negative: " + count);
    }
    return count;
  }

  /**
   * Returns the latch's entity id, such as {@code latch:p1:ready}; with tracking off, an id that
   * names no entity.
   */
  public EntityId id() {
    if (holders != null) {
      return holders.handle().id();
    }
    synchronized (this) {
      if (untrackedId == null) {
        untrackedId = EntityId.of("latch:untracked:" + Integer.toHexString(hashCode()));
      }
      return untrackedId;
    }
  }

  @Override
  public void await() throws InterruptedException {
    Holders<EntityBody.Latch> holders = this.holders;
    if (holders == null) {
      super.await();
      return;
    }
    if (getCount() == 0) {
      super.await(); // open: nothing to wait for, nor to record
      return;
    }
    holders.polled();
    try (WaitToken wait = waitOn(holders, false)) {
      try {
        super.await();
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
    }
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    Checks.notNull(unit, "unit");
    Holders<EntityBody.Latch> holders = this.holders;
    if (holders == null) {
      return super.await(timeout, unit);
    }
    if (getCount() == 0 || timeout <= 0) {
      return super.await(timeout, unit);
    }
    holders.polled();
    try (WaitToken wait = waitOn(holders, true)) {
      try {
        return super.await(timeout, unit);
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
    }
  }

  @Override
  public void countDown() {
    Holders<EntityBody.Latch> holders = this.holders;
    if (holders == null) {
      super.countDown();
      return;
    }
    Source at = OperationSites.take(this);
    if (at == null) {
      at = holders.runtime().operationSource().orElse(null);
    }
    super.countDown();
    if (getCount() == 0 && holders.handle().isUnborn()) {
      // Open for good before anyone looked: nothing to see, nor to write, nor to allocate (a
      // latch per request).
      holders.handle().forgoBirth();
      if (holders.handle().isUnborn()) {
        return; // (born meanwhile by an observation: its count is written as for any other)
      }
    }
    if (at != null) {
      tally().record(at);
    }
    holders.polled();
    if (!countStale) {
      countStale = true;
    }
    if (!flushRegistered) {
      flushRegistered = true;
      holders.handle().deferUntilObserved(flush);
    }
  }
}
