package dev.moire.runtime.channel;

import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The receiving side of a tracked oneshot channel: receives the one value, once.
 *
 * @param <T> the value type
 */
public final class OneshotReceiver<T> implements AutoCloseable {
  private final OneshotCore<T> core;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  OneshotReceiver(OneshotCore<T> core, Optional<EntityId> holder) {
    this.core = core;
    this.release = MoireThreads.cleaner().register(this, () -> core.closeReceiver(holder));
  }

  /** Returns the id of the receiver entity, such as {@code oneshot:p1:reply:rx}. */
  public EntityId id() {
    return core.rxId();
  }

  /**
   * Waits for the value.
   *
   * @return the value, or empty if the sender was closed or dropped without sending
   * @throws IllegalStateException if the value was already received or this receiver is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<T> recv() throws InterruptedException {
    checkOpen();
    return core.recv(-1, new boolean[1]);
  }

  /**
   * Waits at most {@code timeout} for the value.
   *
   * @return the value, or empty if the sender was closed or dropped without sending
   * @throws TimeoutException if neither happened in time
   * @throws IllegalStateException if the value was already received or this receiver is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<T> recv(Duration timeout) throws InterruptedException, TimeoutException {
    Checks.notNull(timeout, "timeout");
    checkOpen();
    boolean[] timedOut = new boolean[1];
    Optional<T> out = core.recv(Math.max(1, MpscCore.toNanos(timeout)), timedOut);
    if (timedOut[0]) {
      throw new TimeoutException(core.describe() + " received nothing within " + timeout);
    }
    return out;
  }

  /**
   * Takes the value if it is there now.
   *
   * @return the value, or empty when none has been sent yet or none will come
   * @throws IllegalStateException if the value was already received or this receiver is closed
   */
  public Optional<T> tryRecv() {
    checkOpen();
    try {
      return core.recv(0, new boolean[1]);
    } catch (InterruptedException e) {
      throw new AssertionError("a receive that does not wait cannot be interrupted", e);
    }
  }

  /**
   * Closes the receiver; a later send fails.
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
    return "OneshotReceiver[" + core.describe() + "]";
  }
}
