package dev.moire.runtime.channel;

import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The sending side of a tracked watch channel: publishes the latest value to every receiver.
 *
 * @param <T> the value type; values should be immutable, as receivers share them
 */
public final class WatchSender<T> implements AutoCloseable {
  private final WatchCore<T> core;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  WatchSender(WatchCore<T> core, Optional<EntityId> holder) {
    this.core = core;
    this.release = MoireThreads.cleaner().register(this, () -> core.closeSender(holder));
  }

  /** Returns the id of the sender entity, such as {@code watch:p1:config:tx}. */
  public EntityId id() {
    return core.txId();
  }

  /**
   * Publishes a new value and wakes every receiver waiting in {@link WatchReceiver#changed()}.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws ChannelClosedException if every receiver is closed
   * @throws IllegalStateException if this sender is closed
   */
  public void send(T value) {
    if (value == null) {
      Checks.notNull(
          value, "value for " + core.describe()); // the message built only when it is needed
    }
    checkOpen();
    core.update(old -> value, true);
  }

  /**
   * Replaces the value with {@code fn} applied to it, even when no receiver is left.
   *
   * @throws NullPointerException if {@code fn} is null or returns null
   * @throws IllegalStateException if this sender is closed
   */
  public void sendModify(UnaryOperator<T> fn) {
    Checks.notNull(fn, "modify function");
    checkOpen();
    core.update(fn, false);
  }

  /** Returns the current value. */
  public T borrow() {
    return core.borrow();
  }

  /**
   * Returns a new receiver that has seen the current value.
   *
   * @throws IllegalStateException if this sender is closed
   */
  public WatchReceiver<T> subscribe() {
    checkOpen();
    return WatchReceiver.open(core, core.version());
  }

  /**
   * Closes the sender: receivers keep the last value and see the end in {@code changed()}.
   *
   * @throws IllegalStateException if this sender was closed already
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      throw new IllegalStateException("sender of " + core.describe() + " is already closed");
    }
    release.clean();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("sender of " + core.describe() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "WatchSender[" + core.describe() + "]";
  }
}
