package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Holders;
import dev.moire.runtime.internal.SourceCapture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CountDownLatch} tracked in the graph: adopt it by changing one constructor, {@code new
 * CountDownLatch(2)} to {@code new TrackedCountDownLatch("ready", 2)}.
 *
 * <p>The body shows the remaining {@code count}; a task in {@link #await()} is {@code waiting_on}
 * the latch (timed in {@link #await(long, TimeUnit)}), and each counting task {@code polls} it.
 */
public final class TrackedCountDownLatch extends CountDownLatch {
  private final Holders<EntityBody.Latch> holders;

  /**
   * The drop-in for {@code new CountDownLatch(count)}: in the global runtime, named after the line
   * that creates it.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public TrackedCountDownLatch(int count) {
    this(MoireRuntime.global(), SourceCapture.caller().location(), count);
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
        new Holders<>(runtime, runtime.createEntity(name, new EntityBody.Latch(count)), true);
  }

  private static int checkCount(String name, int count) {
    Checks.notBlank(name, "latch name");
    if (count < 0) {
      throw new IllegalArgumentException(
          "count of latch '" + name + "' must not be negative: " + count);
    }
    return count;
  }

  /** Returns the latch's entity id, such as {@code latch:p1:ready}. */
  public EntityId id() {
    return holders.handle().id();
  }

  @Override
  public void await() throws InterruptedException {
    holders.polled();
    if (getCount() == 0) {
      super.await();
      return;
    }
    try (WaitToken wait = holders.runtime().beginWait(holders.handle(), false)) {
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
    holders.polled();
    if (getCount() == 0 || timeout <= 0) {
      return super.await(timeout, unit);
    }
    try (WaitToken wait = holders.runtime().beginWait(holders.handle(), true)) {
      try {
        return super.await(timeout, unit);
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
    }
  }

  @Override
  public void countDown() {
    holders.polled();
    super.countDown();
    long count = getCount();
    holders.handle().mutate(b -> count < b.count() ? new EntityBody.Latch(count) : b);
  }
}
