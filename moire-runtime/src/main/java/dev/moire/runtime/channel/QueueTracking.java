package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.EventBuffer;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import java.util.Iterator;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The bookkeeping of a tracked JDK queue, whatever JDK queue does the work: the queue's {@code
 * mpsc_tx}/{@code mpsc_rx} pair, its totals and high watermark, and its events. The queue calls it
 * around its own operations: {@link #sending()}/{@link #receiving()} before, {@link #sent}/{@link
 * #received} after, {@link #waitToSend}/{@link #waitToReceive} when it must block, {@link
 * #changed()} after any other change of its contents.
 *
 * <p>Invariants: {@code stats} guards the totals, the event buffer and the publication of the
 * bodies, so the last body published is the latest. An operation that does not wait only counts,
 * marks the bodies stale and buffers its event; they reach the graph before a task waits on the
 * queue and whenever the graph is observed ({@link Flush}, which the entities hold weakly and this
 * object strongly, as its queue holds this).
 */
final class QueueTracking {
  /** False for a disabled runtime: then every operation is the JDK queue's, with no bookkeeping. */
  private final boolean enabled;

  private final OptionalInt capacity;
  private final String name;
  private final IntSupplier size;
  private final Tracking<EntityBody.MpscTx> tx;
  private final Tracking<EntityBody.MpscRx> rx;
  private final ReentrantLock stats = new ReentrantLock();
  private final EventBuffer events;
  private final Flush flush = new Flush();
  private long sentTotal;
  private long recvTotal;
  private long highWatermark;
  private boolean bodiesStale;

  /**
   * Whether untimed {@code put} and {@code take} throw for an interrupted caller that need not
   * wait: they do in the JDK's array and linked queues (which lock interruptibly), not in its
   * linked deque (which locks plainly, and checks only once it waits).
   */
  private final boolean untimedInterruptible;

  QueueTracking(MoireRuntime runtime, String name, OptionalInt capacity, IntSupplier size) {
    this(runtime, name, capacity, size, true);
  }

  QueueTracking(
      MoireRuntime runtime,
      String name,
      OptionalInt capacity,
      IntSupplier size,
      boolean untimedInterruptible) {
    this.untimedInterruptible = untimedInterruptible;
    this.enabled = runtime.isEnabled();
    this.capacity = capacity;
    this.size = size;
    EntityPair<EntityBody.MpscTx, EntityBody.MpscRx> pair =
        runtime.createPair(name, EntityBody.MpscTx.open(capacity), new EntityBody.MpscRx(0));
    this.name = pair.first().name();
    this.events = new EventBuffer(runtime);
    this.tx = new Tracking<>(runtime, pair.first(), events);
    this.rx = new Tracking<>(runtime, pair.second(), events);
    pair.first().deferUntilObserved(flush);
    pair.second().deferUntilObserved(flush);
  }

  /** The queue's unique name in the graph. */
  String name() {
    return name;
  }

  /** A producer is about to offer: it {@code polls} the queue's sending end. */
  void sending() {
    if (enabled) {
      tx.polled();
    }
  }

  /** A consumer is about to take: it {@code polls} the queue's receiving end. */
  void receiving() {
    if (enabled) {
      rx.polled();
    }
  }

  /** A producer must block: what is deferred is written, then its tracked (abortable) wait. */
  WaitToken waitToSend(boolean timed) {
    flush.flush();
    return tx.runtime.beginWait(tx.handle, timed);
  }

  /** A consumer must block: what is deferred is written, then its tracked (abortable) wait. */
  WaitToken waitToReceive(boolean timed) {
    flush.flush();
    return rx.runtime.beginWait(rx.handle, timed);
  }

  /** One element went in, after waiting {@code waitNs} if it {@code waited}. */
  void sent(long waitNs, boolean waited) {
    stats.lock();
    try {
      sentTotal++;
      highWatermark = Math.max(highWatermark, size.getAsInt());
      bodiesStale = true;
      tx.sent(waitNs, waited, false);
    } finally {
      stats.unlock();
    }
    events.writeHandedOff();
  }

  /**
   * {@code count} elements came out, after waiting {@code waitNs} if the consumer {@code waited}.
   */
  void received(long waitNs, boolean waited, int count) {
    stats.lock();
    try {
      recvTotal += count;
      bodiesStale = true;
      for (int i = 0; i < count; i++) {
        rx.received(waitNs, waited, false);
      }
    } finally {
      stats.unlock();
    }
    events.writeHandedOff();
  }

  /** Returns {@code changed}, having written the bodies if the contents changed. */
  boolean changedIf(boolean changed) {
    if (enabled && changed) {
      changed();
    }
    return changed;
  }

  /** Writes the bodies now, after a change to the contents that was not a send or a receive. */
  void changed() {
    if (!enabled) {
      return;
    }
    stats.lock();
    try {
      bodiesStale = true;
      flushLocked();
    } finally {
      stats.unlock();
    }
  }

  private void flushLocked() {
    events.flush();
    if (bodiesStale) {
      bodiesStale = false;
      int len = size.getAsInt();
      highWatermark = Math.max(highWatermark, len);
      EntityBody.MpscTx body = new EntityBody.MpscTx(len, capacity, highWatermark, 1, sentTotal);
      tx.handle.mutate(b -> body);
      long total = recvTotal;
      rx.handle.mutate(b -> new EntityBody.MpscRx(total));
    }
  }

  /** Writes what the queue deferred. */
  private final class Flush implements Deferred {
    @Override
    public void flush() {
      stats.lock();
      try {
        flushLocked();
      } finally {
        stats.unlock();
      }
    }
  }

  // ---- the tracked operations, around the JDK queue's own ({@code raw}) ----

  /** A blocking JDK operation that puts an element. */
  interface Put<E> {
    void put(E e) throws InterruptedException;
  }

  /** A timed JDK offer. */
  interface TimedOffer<E> {
    boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException;
  }

  /** A blocking JDK take. */
  interface Take<E> {
    E take() throws InterruptedException;
  }

  /** A timed JDK poll. */
  interface TimedPoll<E> {
    @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException;
  }

  <E> boolean offer(E e, Predicate<E> raw) {
    if (!enabled) {
      return raw.test(e);
    }
    Objects.requireNonNull(e);
    sending();
    boolean added = raw.test(e);
    if (added) {
      sent(0, false);
    }
    return added;
  }

  <E> void put(E e, Predicate<E> rawOffer, Put<E> rawPut) throws InterruptedException {
    if (!enabled) {
      rawPut.put(e);
      return;
    }
    Objects.requireNonNull(e);
    if (untimedInterruptible) {
      interruptible();
    }
    sending();
    if (rawOffer.test(e)) {
      sent(0, false);
      return;
    }
    long waitNs;
    try (WaitToken wait = waitToSend(false)) {
      try {
        rawPut.put(e);
      } catch (InterruptedException ie) {
        throw wait.interrupted(ie);
      }
      waitNs = wait.elapsedNanos();
    }
    sent(waitNs, true);
  }

  <E> boolean offer(E e, long timeout, TimeUnit unit, Predicate<E> rawOffer, TimedOffer<E> rawTimed)
      throws InterruptedException {
    if (!enabled) {
      return rawTimed.offer(e, timeout, unit);
    }
    Objects.requireNonNull(e);
    Objects.requireNonNull(unit);
    interruptible();
    sending();
    if (rawOffer.test(e)) {
      sent(0, false);
      return true;
    }
    if (timeout <= 0) {
      return false;
    }
    boolean added;
    long waitNs;
    try (WaitToken wait = waitToSend(true)) {
      try {
        added = rawTimed.offer(e, timeout, unit);
      } catch (InterruptedException ie) {
        throw wait.interrupted(ie);
      }
      waitNs = wait.elapsedNanos();
    }
    if (added) {
      sent(waitNs, true);
    }
    return added;
  }

  <E> @Nullable E poll(Supplier<@Nullable E> raw) {
    if (!enabled) {
      return raw.get();
    }
    receiving();
    E e = raw.get();
    if (e != null) {
      received(0, false, 1);
    }
    return e;
  }

  <E> E take(Supplier<@Nullable E> rawPoll, Take<E> rawTake) throws InterruptedException {
    if (!enabled) {
      return rawTake.take();
    }
    if (untimedInterruptible) {
      interruptible();
    }
    receiving();
    E e = rawPoll.get();
    if (e != null) {
      received(0, false, 1);
      return e;
    }
    long waitNs;
    try (WaitToken wait = waitToReceive(false)) {
      try {
        e = rawTake.take();
      } catch (InterruptedException ie) {
        throw wait.interrupted(ie);
      }
      waitNs = wait.elapsedNanos();
    }
    received(waitNs, true, 1);
    return e;
  }

  <E> @Nullable E poll(
      long timeout, TimeUnit unit, Supplier<@Nullable E> rawPoll, TimedPoll<E> rawTimed)
      throws InterruptedException {
    if (!enabled) {
      return rawTimed.poll(timeout, unit);
    }
    Objects.requireNonNull(unit);
    interruptible();
    receiving();
    E e = rawPoll.get();
    if (e != null) {
      received(0, false, 1);
      return e;
    }
    if (timeout <= 0) {
      return null;
    }
    long waitNs;
    try (WaitToken wait = waitToReceive(true)) {
      try {
        e = rawTimed.poll(timeout, unit);
      } catch (InterruptedException ie) {
        throw wait.interrupted(ie);
      }
      waitNs = wait.elapsedNanos();
    }
    if (e != null) {
      received(waitNs, true, 1);
    }
    return e;
  }

  /** A drain took {@code n} elements without waiting. */
  /** Returns {@code added}, having counted {@code n} elements put in at once without waiting. */
  boolean sentAll(boolean added, int n) {
    if (enabled && added) {
      for (int i = 0; i < n; i++) {
        sent(0, false);
      }
    }
    return added;
  }

  /** Whether the runtime tracks anything: false when moire is disabled. */
  boolean enabled() {
    return enabled;
  }

  int drained(int n) {
    if (enabled && n > 0) {
      received(0, false, n);
    }
    return n;
  }

  /** An iterator whose {@code remove} writes the bodies, over a JDK queue's iterator. */
  <E> Iterator<E> iterator(Iterator<E> it) {
    if (!enabled) {
      return it;
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public E next() {
        return it.next();
      }

      @Override
      public void remove() {
        it.remove();
        changed();
      }

      @Override
      public void forEachRemaining(Consumer<? super E> action) {
        it.forEachRemaining(action);
      }
    };
  }

  /**
   * Throws for an interrupted caller, as the JDK's queues do in every blocking method, even when no
   * wait would be needed (they take their lock interruptibly first).
   */
  static void interruptible() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }
}
