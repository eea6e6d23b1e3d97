package dev.moire.runtime.channel;

import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sending side of a tracked mpsc channel. Clone it for each producer; the channel closes for
 * the receiver when the last clone is closed, or becomes unreachable and is collected.
 *
 * @param <T> the message type
 */
public final class Sender<T> implements AutoCloseable {
  private final MpscCore<T> core;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  Sender(MpscCore<T> core, Optional<EntityId> holder) {
    this.core = core;
    this.release = MoireThreads.cleaner().register(this, () -> core.releaseSender(holder));
  }

  /** Returns the id of the channel's sender entity, such as {@code mpsc:p1:jobs:tx}. */
  public EntityId id() {
    return core.txId();
  }

  /** Returns the channel's unique name. */
  public String name() {
    return core.name;
  }

  /**
   * Sends a message, waiting while a bounded channel is full.
   *
   * @throws NullPointerException if {@code message} is null
   * @throws ChannelClosedException if the receiver is closed
   * @throws IllegalStateException if this sender is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public void send(T message) throws InterruptedException {
    check(message);
    core.send(message, -1);
  }

  /**
   * Sends a message, waiting at most {@code timeout} while the channel is full.
   *
   * @return whether the message was sent
   * @throws NullPointerException if {@code message} or {@code timeout} is null
   * @throws ChannelClosedException if the receiver is closed
   * @throws IllegalStateException if this sender is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean send(T message, Duration timeout) throws InterruptedException {
    check(message);
    Checks.notNull(timeout, "timeout");
    return core.send(message, Math.max(1, MpscCore.toNanos(timeout)));
  }

  /**
   * Sends a message if there is room now.
   *
   * @return whether the message was sent; false when the channel is full
   * @throws NullPointerException if {@code message} is null
   * @throws ChannelClosedException if the receiver is closed
   * @throws IllegalStateException if this sender is closed
   */
  public boolean trySend(T message) {
    check(message);
    try {
      return core.send(message, 0);
    } catch (InterruptedException e) {
      throw new AssertionError("a send that does not wait cannot be interrupted", e);
    }
  }

  /** Returns whether the receiver is closed, so that every send fails. */
  public boolean isReceiverClosed() {
    return core.isReceiverClosed();
  }

  /**
   * Returns another sender of the same channel; the channel stays open until every clone is closed.
   *
   * @throws IllegalStateException if this sender is closed
   */
  @Override
  public Sender<T> clone() {
    checkOpen();
    return new Sender<>(core, core.addSender());
  }

  /**
   * Closes this sender; closing the last one closes the channel for the receiver, which then drains
   * the queued messages and sees the end.
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

  /** Returns whether this sender is closed. */
  public boolean isClosed() {
    return closed.get();
  }

  private void check(T message) {
    if (message == null) {
      // The message is built only when needed: a send allocates nothing of moire's.
      Checks.notNull(message, "message for " + core.describe());
    }
    checkOpen();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("sender of " + core.describe() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "Sender[" + core.describe() + (closed.get() ? ", closed]" : "]");
  }
}
