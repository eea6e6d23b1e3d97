package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One receiver of a tracked broadcast channel. Not thread-safe: one consumer reads it; give each
 * consumer its own receiver with {@link BroadcastSender#subscribe()}.
 *
 * @param <T> the message type
 */
public final class BroadcastReceiver<T> implements AutoCloseable {
  private final BroadcastCore<T> core;
  private final Tracking<EntityBody.BroadcastRx> rx;
  private final long[] next = new long[1];
  private final long[] lag = new long[1];
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  BroadcastReceiver(BroadcastCore<T> core) {
    this.core = core;
    this.rx = core.addReceiver(next);
    Optional<EntityId> holder = core.hold(rx);
    Tracking<EntityBody.BroadcastRx> tracking = rx;
    this.release =
        MoireThreads.cleaner().register(this, () -> core.closeReceiver(tracking, holder));
  }

  /** Returns the id of this receiver's entity, such as {@code broadcast:p1:events:rx}. */
  public EntityId id() {
    return rx.handle.id();
  }

  /**
   * Receives the next message, waiting while there is none and a sender is open.
   *
   * @return the message, or empty once every sender is closed and nothing is left
   * @throws LaggedException if messages meant for this receiver were overwritten; receiving again
   *     continues with the oldest message kept
   * @throws IllegalStateException if this receiver is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<T> recv() throws InterruptedException {
    checkOpen();
    return core.recv(rx, next, lag, -1, new boolean[1]);
  }

  /**
   * Receives the next message, waiting at most {@code timeout}.
   *
   * @return the message, or empty once every sender is closed and nothing is left
   * @throws TimeoutException if no message came in time
   * @throws LaggedException if messages meant for this receiver were overwritten
   * @throws IllegalStateException if this receiver is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<T> recv(Duration timeout) throws InterruptedException, TimeoutException {
    Checks.notNull(timeout, "timeout");
    checkOpen();
    boolean[] timedOut = new boolean[1];
    Optional<T> out = core.recv(rx, next, lag, Math.max(1, MpscCore.toNanos(timeout)), timedOut);
    if (timedOut[0]) {
      throw new TimeoutException(core.describe() + " sent nothing within " + timeout);
    }
    return out;
  }

  /**
   * Receives the next message if there is one now.
   *
   * @return the message, or empty when there is none now
   * @throws LaggedException if messages meant for this receiver were overwritten
   * @throws IllegalStateException if this receiver is closed
   */
  public Optional<T> tryRecv() {
    checkOpen();
    try {
      return core.recv(rx, next, lag, 0, new boolean[1]);
    } catch (InterruptedException e) {
      throw new AssertionError("a receive that does not wait cannot be interrupted", e);
    }
  }

  /** Returns how many messages this receiver has missed in all, by lagging. */
  public long lag() {
    return lag[0];
  }

  /**
   * Closes this receiver.
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
    return "BroadcastReceiver[" + core.describe() + "]";
  }
}
