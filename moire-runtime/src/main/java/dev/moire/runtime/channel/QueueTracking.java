package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import java.util.Iterator;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Invariants: the two ends are recorded apart, so a producer and a consumer never meet on
 * moire's bookkeeping (only on the JDK queue's own lock): {@code txLock} guards the sending end's
 * events, {@code highWatermark} and {@code lenBase}, and orders the writes of {@code sentTotal};
 * {@code rxLock} does the same for the receiving end and {@code recvTotal}. An operation that does
 * not wait only counts, marks its end's body stale and adds to its end's run of events; the bodies
 * and events reach the graph before a task waits on the queue, when the queue changes otherwise,
 * and whenever the graph is observed (each end's {@link Tracking} flushes itself). The high
 * watermark is kept from the totals (sent − received + the length they miss, set again at every
 * flush), confirmed with the queue's own size only when it would rise: an element in flight between
 * the JDK queue and these counters is never counted twice, as the size confirms.
 */
final class QueueTracking {
  /** False for a disabled runtime: then every operation is the JDK queue's, with no bookkeeping. */
  private final boolean enabled;

  private final OptionalInt capacity;
  private final String name;
  private final IntSupplier size;
  private final Tracking<EntityBody.MpscTx> tx;
  private final Tracking<EntityBody.MpscRx> rx;
  private final ReentrantLock txLock = new ReentrantLock();
  private final ReentrantLock rxLock = new ReentrantLock();

  /** Elements put in, written under {@code txLock}; read by anyone. */
  private final AtomicLong sentTotal = new AtomicLong();

  /** Elements taken out, written under {@code rxLock}; read by anyone. */
  private final AtomicLong recvTotal = new AtomicLong();

  /** The most elements seen in the queue at once. Guarded by {@code txLock}. */
  private long highWatermark;

  /**
   * What the totals miss of the length (elements removed other than by a receive). Guarded by
   * {@code txLock}.
   */
  private long lenBase;

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
    this.tx = new Tracking<>(runtime, pair.first(), txLock, this::txBody);
    this.rx = new Tracking<>(runtime, pair.second(), rxLock, this::rxBody);
  }

  /** The sending end's body, written at a flush; under {@code txLock}. */
  private EntityBody.MpscTx txBody() {
    long len = size.getAsInt();
    lenBase = len - (sentTotal.get() - recvTotal.get());
    highWatermark = Math.max(highWatermark, len);
    return new EntityBody.MpscTx(len, capacity, highWatermark, 1, sentTotal.get());
  }

  /** The receiving end's body, written at a flush; under {@code rxLock}. */
  private EntityBody.MpscRx rxBody() {
    return new EntityBody.MpscRx(recvTotal.get());
  }

  /** Writes both ends' bodies and events. */
  private void flushBoth() {
    tx.flush();
    rx.flush();
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
    flushBoth();
    return tx.runtime.beginWait(tx.handle, timed);
  }

  /** A consumer must block: what is deferred is written, then its tracked (abortable) wait. */
  WaitToken waitToReceive(boolean timed) {
    flushBoth();
    return rx.runtime.beginWait(rx.handle, timed);
  }

  /** One element went in, after waiting {@code waitNs} if it {@code waited}. */
  void sent(long waitNs, boolean waited) {
    txLock.lock();
    try {
      long sentNow = sentTotal.getPlain() + 1;
      sentTotal.setRelease(sentNow);
      long len = sentNow - recvTotal.getAcquire() + lenBase;
      if (len > highWatermark) {
        // It may have risen: the queue's own size says by how much (elements in flight between
        // the queue and the totals are not in it twice).
        highWatermark = Math.max(highWatermark, size.getAsInt());
      }
      tx.bodyStale();
      tx.sent(waitNs, waited, false);
    } finally {
      txLock.unlock();
    }
    tx.writeHandedOff();
  }

  /**
   * {@code count} elements came out, after waiting {@code waitNs} if the consumer {@code waited}.
   */
  void received(long waitNs, boolean waited, int count) {
    rxLock.lock();
    try {
      recvTotal.setRelease(recvTotal.getPlain() + count);
      rx.bodyStale();
      tx.bodyStale(); // the sending end's body shows the length
      for (int i = 0; i < count; i++) {
        rx.received(waitNs, waited, false);
      }
    } finally {
      rxLock.unlock();
    }
    rx.writeHandedOff();
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
    txLock.lock();
    try {
      tx.bodyStale();
      tx.flushLocked();
    } finally {
      txLock.unlock();
    }
    rx.flush();
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

  /** A drain took {@code n} elements without waiting; returns {@code n}. */
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
