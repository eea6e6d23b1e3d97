package dev.moire.runtime.channel;

import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sending side of a tracked broadcast channel: every receiver gets every message, unless it
 * falls more than the channel's capacity behind. Sending never waits.
 *
 * @param <T> the message type; messages should be immutable, as receivers share them
 */
public final class BroadcastSender<T> implements AutoCloseable {
  private final BroadcastCore<T> core;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  BroadcastSender(BroadcastCore<T> core, Optional<EntityId> holder) {
    this.core = core;
    this.release = MoireThreads.cleaner().register(this, () -> core.releaseSender(holder));
  }

  /** Returns the id of the sender entity, such as {@code broadcast:p1:events:tx}. */
  public EntityId id() {
    return core.txId();
  }

  /**
   * Sends a message to every receiver.
   *
   * @return how many receivers the message was sent to
   * @throws NullPointerException if {@code message} is null
   * @throws ChannelClosedException if no receiver is left
   * @throws IllegalStateException if this sender is closed
   */
  public int send(T message) {
    if (message == null) {
      Checks.notNull(
          message, "message for " + core.describe()); // the message built only when it is needed
    }
    checkOpen();
    return core.send(message);
  }

  /**
   * Returns a new receiver, which gets the messages sent from now on.
   *
   * @throws IllegalStateException if this sender is closed
   */
  public BroadcastReceiver<T> subscribe() {
    checkOpen();
    return new BroadcastReceiver<>(core);
  }

  /**
   * Returns another sender of the same channel; the channel ends when every clone is closed.
   *
   * @throws IllegalStateException if this sender is closed
   */
  @Override
  public BroadcastSender<T> clone() {
    checkOpen();
    return new BroadcastSender<>(core, core.addSender());
  }

  /**
   * Closes this sender; once every clone is closed, receivers drain what is left and see the end.
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
    return "BroadcastSender[" + core.describe() + "]";
  }
}
