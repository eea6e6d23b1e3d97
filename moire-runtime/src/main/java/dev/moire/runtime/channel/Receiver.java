package dev.moire.runtime.channel;

import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The receiving side of a tracked mpsc channel. A for-each loop over it receives every message and
 * ends when the channel is closed (every sender closed or dropped) and drained:
 *
 * <pre>{@code
 * for (Job job : receiver) {
 *   handle(job);
 * }
 * }</pre>
 *
 * @param <T> the message type
 */
public final class Receiver<T> implements AutoCloseable, Iterable<T> {
  private final MpscCore<T> core;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  Receiver(MpscCore<T> core, Optional<EntityId> holder) {
    this.core = core;
    this.release = MoireThreads.cleaner().register(this, () -> core.closeReceiver(holder));
  }

  /** Returns the id of the channel's receiver entity, such as {@code mpsc:p1:jobs:rx}. */
  public EntityId id() {
    return core.rxId();
  }

  /** Returns the channel's unique name. */
  public String name() {
    return core.name;
  }

  /**
   * Receives the next message, waiting while the channel is empty and open.
   *
   * @return the message, or empty once the channel is closed and drained
   * @throws IllegalStateException if this receiver is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<T> recv() throws InterruptedException {
    checkOpen();
    return core.recv(-1);
  }

  /**
   * Receives the next message, waiting at most {@code timeout}.
   *
   * @return the message, or empty on timeout or once the channel is closed and drained ({@link
   *     #isDrained()} tells which)
   * @throws IllegalStateException if this receiver is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<T> recv(Duration timeout) throws InterruptedException {
    Checks.notNull(timeout, "timeout");
    checkOpen();
    return core.recv(Math.max(1, MpscCore.toNanos(timeout)));
  }

  /**
   * Receives a message if one is queued now.
   *
   * @return the message, or empty when none is queued
   * @throws IllegalStateException if this receiver is closed
   */
  public Optional<T> tryRecv() {
    checkOpen();
    try {
      return core.recv(0);
    } catch (InterruptedException e) {
      throw new AssertionError("a receive that does not wait cannot be interrupted", e);
    }
  }

  /** Returns whether every sender is closed and no message is left. */
  public boolean isDrained() {
    return core.isDrained();
  }

  /** Returns how many messages are queued. */
  public int queued() {
    return core.size();
  }

  /**
   * Returns an iterator that receives messages until the channel is closed and drained. An
   * interrupt while it waits ends the iteration with a {@link CancellationException}, the thread's
   * interrupt status set.
   */
  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private @Nullable T next;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        try {
          next = recv().orElse(null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          CancellationException c =
              new CancellationException("receiving from " + core.describe() + " was interrupted");
          c.initCause(e);
          throw c;
        }
        return next != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException(core.describe() + " is closed and drained");
        }
        T out = next;
        next = null;
        return out;
      }
    };
  }

  /**
   * Closes the receiver: queued messages are dropped and every later send fails.
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

  /** Returns whether this receiver is closed. */
  public boolean isClosed() {
    return closed.get();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("receiver of " + core.describe() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "Receiver[" + core.describe() + (closed.get() ? ", closed]" : "]");
  }
}
