package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.Source;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.EventBuffer;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.Holders;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The bookkeeping every channel endpoint shares: {@code polls} edges from the operating task,
 * {@code holds} edges counted per task (by {@link Holders}, which guards itself), and send/receive
 * events. Events are recorded under the channel's internal lock, which orders them like the
 * operations they describe, into an {@link EventBuffer} guarded by that same lock: sends and
 * receives that did not wait count as runs, and reach the graph in batches. A channel that passes
 * its own buffer (shared by its ends) writes it when observed; an endpoint given only the channel's
 * lock keeps a buffer of its own and writes it, under that lock, when the graph is observed and
 * before it closes.
 */
final class Tracking<B extends EntityBody> {
  private static final EventBody SENT = new EventBody.ChannelSent(OptionalLong.empty(), false);
  private static final EventBody RECEIVED =
      new EventBody.ChannelReceived(OptionalLong.empty(), false);

  final MoireRuntime runtime;
  final EntityHandle<B> handle;
  private final Holders<B> holders;
  private final EventBuffer events;

  /** A body to write at the next flush of an endpoint with its own buffer; under its lock. */
  private @Nullable B pendingBody;

  /** Computes the body at a flush, when {@link #bodyStale()} was called since the last one. */
  private final @Nullable Supplier<B> bodyAtFlush;

  /**
   * Whether the body must be computed again at the next flush: set by anyone (the other end's
   * operations change this end's body too), cleared by the flush under {@code lock}.
   */
  private volatile boolean bodyStale;

  /** The channel's lock, which guards this endpoint's buffer; null when the buffer is shared. */
  private final @Nullable Lock lock;

  /**
   * Writes this endpoint's own buffer when the graph is observed; null when the buffer is shared.
   */
  private final @Nullable Deferred ownFlush;

  /**
   * Tracks an endpoint whose events wait in a buffer of its own, guarded by the channel's {@code
   * lock}, until the graph is observed or the endpoint closes.
   */
  Tracking(MoireRuntime runtime, EntityHandle<B> handle, Lock lock) {
    this(runtime, handle, lock, null);
  }

  /**
   * Tracks an endpoint as {@link #Tracking(MoireRuntime, EntityHandle, Lock)} does, whose body
   * {@code bodyAtFlush} computes (under {@code lock}) when the graph is observed, if {@link
   * #bodyStale()} was called since the last time.
   */
  Tracking(
      MoireRuntime runtime, EntityHandle<B> handle, Lock lock, @Nullable Supplier<B> bodyAtFlush) {
    this.runtime = runtime;
    this.handle = handle;
    this.holders = new Holders<>(runtime, handle, false);
    this.events = new EventBuffer(runtime);
    this.lock = lock;
    this.bodyAtFlush = bodyAtFlush;
    this.ownFlush = this::flush;
    handle.deferUntilObserved(ownFlush);
  }

  /** Writes the buffered events and a pending body, taking the channel's lock. */
  void flush() {
    Lock l = lock;
    if (l == null) {
      return;
    }
    l.lock();
    try {
      flushLocked();
    } finally {
      l.unlock();
    }
  }

  /** As {@link #flush()}; the caller holds the channel's lock. */
  void flushLocked() {
    events.flush();
    B body = pendingBody;
    if (bodyStale) {
      bodyStale = false;
      if (body == null && bodyAtFlush != null) {
        body = bodyAtFlush.get();
      }
    }
    if (body != null) {
      pendingBody = null;
      B b = body;
      handle.mutate(old -> b);
    }
  }

  /** Marks the body to be computed at the next flush (a read only, when it is marked already). */
  void bodyStale() {
    if (!bodyStale) {
      bodyStale = true;
    }
  }

  /** Writes a full batch of events handed off by the last operation; call it without the lock. */
  void writeHandedOff() {
    events.writeHandedOff();
  }

  /** Tracks an endpoint whose events wait in the channel's {@code events} until it is flushed. */
  Tracking(MoireRuntime runtime, EntityHandle<B> handle, EventBuffer events) {
    this.runtime = runtime;
    this.handle = handle;
    this.holders = new Holders<>(runtime, handle, false);
    this.events = events;
    this.lock = null;
    this.bodyAtFlush = null;
    this.ownFlush = null;
  }

  /** Ensures the current task {@code polls} this endpoint. */
  void polled() {
    holders.polled();
  }

  /** Counts one more hold by the current task; returns the holder to pass to {@link #release}. */
  Optional<EntityId> hold() {
    Optional<EntityId> task = runtime.currentTask();
    holders.add(task, 1);
    return task;
  }

  /** Counts one hold fewer for {@code holder}; the last removes its {@code holds} edge. */
  void release(Optional<EntityId> holder) {
    holders.remove(holder, 1);
  }

  /** Returns the source of an operation: the caller when captured, else the creation site. */
  Source source() {
    return runtime.operationSource().orElse(handle.source());
  }

  /**
   * Records a send, happening now: one that did not wait extends this end's run of sends (the clock
   * is read only when a run starts), one that waited {@code waitNs} or found the channel closed is
   * an event of its own.
   */
  void sent(long waitNs, boolean waited, boolean closed) {
    record(
        waited || closed
            ? new EventBody.ChannelSent(
                waited ? OptionalLong.of(waitNs) : OptionalLong.empty(), closed)
            : SENT);
  }

  /** Records a receive, as {@link #sent} records a send. */
  void received(long waitNs, boolean waited, boolean closed) {
    record(
        waited || closed
            ? new EventBody.ChannelReceived(
                waited ? OptionalLong.of(waitNs) : OptionalLong.empty(), closed)
            : RECEIVED);
  }

  private void record(EventBody event) {
    if (!handle.isClosed()) {
      events.addNow(handle, event, source());
    }
  }

  /**
   * Sets the endpoint's body when the graph is next observed (an endpoint with its own buffer), or
   * now; under the channel's lock.
   */
  void bodyLater(B body) {
    if (ownFlush != null) {
      pendingBody = body;
    } else {
      handle.mutate(b -> body);
    }
  }

  /** Closes the endpoint's entity, its waiting events written first; under the channel's lock. */
  void close() {
    if (!handle.isClosed()) {
      events.flush();
      handle.close();
    }
  }
}
