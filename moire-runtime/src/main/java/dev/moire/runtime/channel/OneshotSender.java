package dev.moire.runtime.channel;

import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sending side of a tracked oneshot channel: sends one value. Closing it (or dropping it)
 * without sending tells the receiver no value will come.
 *
 * @param <T> the value type
 */
public final class OneshotSender<T> implements AutoCloseable {
  private final OneshotCore<T> core;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  OneshotSender(OneshotCore<T> core, Optional<EntityId> holder) {
    this.core = core;
    this.release = MoireThreads.cleaner().register(this, () -> core.closeSender(holder));
  }

  /** Returns the id of the sender entity, such as {@code oneshot:p1:reply:tx}. */
  public EntityId id() {
    return core.txId();
  }

  /**
   * Sends the value; the sender is used up.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalStateException if the value was already sent or this sender is closed
   * @throws ChannelClosedException if the receiver is closed
   */
  public void send(T value) {
    if (value == null) {
      Checks.notNull(
          value, "value for " + core.describe()); // the message built only when it is needed
    }
    if (closed.get()) {
      throw new IllegalStateException("sender of " + core.describe() + " is closed");
    }
    core.send(value);
  }

  /** Returns whether the value has been sent. */
  public boolean isSent() {
    return core.isSent();
  }

  /**
   * Closes the sender; if it has not sent, the receiver gets no value.
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

  @Override
  public String toString() {
    return "OneshotSender[" + core.describe() + "]";
  }
}
