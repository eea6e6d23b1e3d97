package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One receiver of a tracked watch channel: reads the latest value and waits for changes. Each
 * receiver remembers which version it has seen.
 *
 * @param <T> the value type
 */
public final class WatchReceiver<T> implements AutoCloseable {
  private final WatchCore<T> core;
  private final Tracking<EntityBody.WatchRx> rx;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;
  private volatile long seen;

  private WatchReceiver(WatchCore<T> core, long seen) {
    this.core = core;
    this.rx = core.addReceiver();
    this.seen = seen;
    Optional<EntityId> holder = core.hold(rx);
    Tracking<EntityBody.WatchRx> tracking = rx;
    this.release =
        MoireThreads.cleaner().register(this, () -> core.closeReceiver(tracking, holder));
  }

  static <T> WatchReceiver<T> open(WatchCore<T> core, long seen) {
    return new WatchReceiver<>(core, seen);
  }

  /** Returns the id of this receiver's entity, such as {@code watch:p1:config:rx}. */
  public EntityId id() {
    return rx.handle.id();
  }

  /** Returns the latest value, without marking it seen. */
  public T borrow() {
    return core.borrow();
  }

  /** Returns the latest value and marks it seen. */
  public T borrowAndUpdate() {
    seen = core.version();
    return core.borrow();
  }

  /** Returns whether a value this receiver has not seen was published. */
  public boolean hasChanged() {
    return core.version() != seen;
  }

  /**
   * Waits until a value this receiver has not seen is published, and marks it seen.
   *
   * @return true on a change; false when the sender is closed and nothing new will come
   * @throws IllegalStateException if this receiver is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean changed() throws InterruptedException {
    checkOpen();
    return update(core.awaitChange(rx, seen, -1));
  }

  /**
   * Waits at most {@code timeout} for a value this receiver has not seen, and marks it seen.
   *
   * @return true on a change; false on timeout or when the sender is closed
   * @throws IllegalStateException if this receiver is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean changed(Duration timeout) throws InterruptedException {
    Checks.notNull(timeout, "timeout");
    checkOpen();
    return update(core.awaitChange(rx, seen, Math.max(1, MpscCore.toNanos(timeout))));
  }

  private boolean update(long version) {
    if (version < 0) {
      return false;
    }
    seen = version;
    return true;
  }

  /**
   * Returns another receiver that has seen what this one has.
   *
   * @throws IllegalStateException if this receiver is closed
   */
  @Override
  public WatchReceiver<T> clone() {
    checkOpen();
    return new WatchReceiver<>(core, seen);
  }

  /**
   * Closes this receiver; when every receiver is closed, {@link WatchSender#send} fails.
   *
   * @throws IllegalStateException if this receiver was closed already
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      throw new IllegalStateException("receiver of " + core.describe() + " is already closed");
    }
    release.clean();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("receiver of " + core.describe() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "WatchReceiver[" + core.describe() + "]";
  }
}
