package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Holders;
import dev.moire.runtime.internal.SourceCapture;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CyclicBarrier} tracked in the graph: it is one (a field typed {@code CyclicBarrier}
 * takes it; every method is the JDK's, with its exceptions, breakage and interrupt handling), so
 * adopting it is one constructor: {@code new CyclicBarrier(3)} becomes {@code new
 * TrackedCyclicBarrier(3)} (named after its line) or {@code new TrackedCyclicBarrier("phase", 3)}.
 *
 * <p>The barrier is a {@code custom} entity of kind {@code barrier} with the attributes {@code
 * parties}, {@code waiting} and {@code broken}, read from the barrier itself whenever the graph is
 * observed (nothing is written on the way through {@code await}); a task in {@code await} is {@code
 * waiting_on} it (timed in {@link #await(long, TimeUnit)}) and every task that arrives at it {@code
 * polls} it. A barrier is a resource whose releasers are not known in advance (any party that will
 * arrive), so moire never claims a cycle through it; a barrier that can never trip shows as a stall
 * once every thread that could arrive is stuck.
 */
public final class TrackedCyclicBarrier extends CyclicBarrier {
  private final Holders<EntityBody.Custom> holders;

  /** Publishes the barrier's state when the graph is observed; the entity holds it weakly. */
  private final Deferred publish = this::publish;

  /**
   * The drop-in for {@code new CyclicBarrier(parties)}, in the global runtime, named after the line
   * that creates it.
   *
   * @throws IllegalArgumentException if {@code parties} is less than 1
   */
  public TrackedCyclicBarrier(int parties) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), parties, null);
  }

  /**
   * The drop-in for {@code new CyclicBarrier(parties, barrierAction)}, named after its line.
   *
   * @throws IllegalArgumentException if {@code parties} is less than 1
   */
  public TrackedCyclicBarrier(int parties, @Nullable Runnable barrierAction) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        parties,
        barrierAction);
  }

  /**
   * Creates a named barrier in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code parties} is less than 1
   */
  public TrackedCyclicBarrier(String name, int parties) {
    this(MoireRuntime.global(), name, parties, null);
  }

  /**
   * Creates a named barrier in {@code runtime}, running {@code barrierAction} (if any) in the last
   * party to arrive, as the JDK's does.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code parties} is less than 1
   */
  public TrackedCyclicBarrier(
      MoireRuntime runtime, String name, int parties, @Nullable Runnable barrierAction) {
    super(parties, barrierAction);
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "barrier name");
    this.holders =
        new Holders<>(runtime, runtime.createEntity(name, body(parties, 0, false)), true);
    holders.handle().deferUntilObserved(publish);
  }

  private static EntityBody.Custom body(int parties, int waiting, boolean broken) {
    return new EntityBody.Custom(
        "barrier",
        Map.of(
            "parties",
            Integer.toString(parties),
            "waiting",
            Integer.toString(waiting),
            "broken",
            Boolean.toString(broken)));
  }

  private void publish() {
    int waiting = getNumberWaiting();
    boolean broken = isBroken();
    holders
        .handle()
        .mutate(
            b ->
                b.attrs().get("waiting").equals(Integer.toString(waiting))
                        && b.attrs().get("broken").equals(Boolean.toString(broken))
                    ? b
                    : body(getParties(), waiting, broken));
  }

  /** Returns the barrier's entity id, such as {@code custom:p1:phase}. */
  public EntityId id() {
    return holders.handle().id();
  }

  /** Returns the barrier's unique name in the graph. */
  public String name() {
    return holders.handle().name();
  }

  @Override
  public int await() throws InterruptedException, BrokenBarrierException {
    if (!holders.runtime().isEnabled()) {
      return super.await();
    }
    holders.polled();
    if (trips()) {
      return super.await();
    }
    try (WaitToken wait = holders.runtime().beginWait(holders.handle(), false)) {
      try {
        return super.await();
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      } catch (BrokenBarrierException e) {
        wait.checkAborted(); // broken by the abort of another party: this one is aborted too
        throw e;
      }
    }
  }

  @Override
  public int await(long timeout, TimeUnit unit)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    if (!holders.runtime().isEnabled()) {
      return super.await(timeout, unit);
    }
    holders.polled();
    if (trips()) {
      return super.await(timeout, unit);
    }
    try (WaitToken wait = holders.runtime().beginWait(holders.handle(), true)) {
      try {
        return super.await(timeout, unit);
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      } catch (BrokenBarrierException e) {
        wait.checkAborted();
        throw e;
      }
    }
  }

  /**
   * Whether the caller is the last party to arrive, which trips the barrier rather than waits: its
   * await is not recorded as a wait. (Should a reset race with it, its wait goes unrecorded: a
   * detection missed, never a false one.)
   */
  private boolean trips() {
    return getNumberWaiting() + 1 >= getParties();
  }

  @Override
  public void reset() {
    super.reset();
    if (holders.runtime().isEnabled()) {
      publish();
    }
  }
}
