package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.EventBuffer;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BlockingQueue} tracked as an mpsc channel: adopt it by changing one constructor, {@code
 * new ArrayBlockingQueue<>(16)} to {@code new TrackedBlockingQueue<>("jobs", 16)}.
 *
 * <p>The queue is a JDK queue underneath ({@link ArrayBlockingQueue} when bounded, {@link
 * LinkedBlockingQueue} when not), so every {@code BlockingQueue} contract holds exactly. Around it,
 * producers and consumers are tracked like an mpsc channel's: {@code mpsc_tx}/{@code mpsc_rx}
 * entities with {@code queue_len}, {@code high_watermark} and the totals, {@code polls} edges from
 * the tasks that use it, {@code waiting_on} while {@code put}/{@code take} (or their timed forms)
 * block, and {@code channel_sent}/{@code channel_received} events. The entities stay in the graph
 * for the queue's lifetime, and leave it when the queue is collected.
 *
 * @param <E> the element type
 */
public final class TrackedBlockingQueue<E> extends AbstractQueue<E> implements BlockingQueue<E> {
  private final BlockingQueue<E> queue;
  private final OptionalInt capacity;
  private final String name;
  private final Tracking<EntityBody.MpscTx> tx;
  private final Tracking<EntityBody.MpscRx> rx;

  /**
   * Guards the totals, the event buffer and the publication of the bodies, so the last body
   * published is the latest. An operation that does not wait only counts, marks the bodies stale
   * and buffers its event; they reach the graph before a task waits on the queue and whenever the
   * graph is observed ({@link Flush}).
   */
  private final ReentrantLock stats = new ReentrantLock();

  private final EventBuffer events;
  private final Flush flush = new Flush();
  private long sentTotal;
  private long recvTotal;
  private long highWatermark;
  private boolean bodiesStale;

  /**
   * Creates a bounded queue in the global runtime, like {@code new ArrayBlockingQueue<>(capacity)}.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is not positive
   */
  public TrackedBlockingQueue(String name, int capacity) {
    this(MoireRuntime.global(), name, capacity);
  }

  /**
   * Creates an unbounded queue in the global runtime, like {@code new LinkedBlockingQueue<>()}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedBlockingQueue(String name) {
    this(MoireRuntime.global(), name);
  }

  /**
   * Creates a bounded queue in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is not positive
   */
  public TrackedBlockingQueue(MoireRuntime runtime, String name, int capacity) {
    this(runtime, name, OptionalInt.of(checkCapacity(name, capacity)));
  }

  /**
   * Creates an unbounded queue in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedBlockingQueue(MoireRuntime runtime, String name) {
    this(runtime, name, OptionalInt.empty());
  }

  private TrackedBlockingQueue(MoireRuntime runtime, String name, OptionalInt capacity) {
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "queue name");
    this.capacity = capacity;
    this.queue =
        capacity.isPresent()
            ? new ArrayBlockingQueue<>(capacity.getAsInt())
            : new LinkedBlockingQueue<>();
    EntityPair<EntityBody.MpscTx, EntityBody.MpscRx> pair =
        runtime.createPair(name, EntityBody.MpscTx.open(capacity), new EntityBody.MpscRx(0));
    this.name = pair.first().name();
    this.events = new EventBuffer(runtime);
    this.tx = new Tracking<>(runtime, pair.first(), events);
    this.rx = new Tracking<>(runtime, pair.second(), events);
    pair.first().deferUntilObserved(flush);
    pair.second().deferUntilObserved(flush);
  }

  private static int checkCapacity(String name, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException(
          "capacity of queue '" + name + "' must be positive: " + capacity);
    }
    return capacity;
  }

  /** Returns the queue's unique name in the graph. */
  public String name() {
    return name;
  }

  // ---- producers ----

  @Override
  public boolean offer(E e) {
    Checks.notNull(e, "element for queue '" + name + "'");
    tx.polled();
    boolean added = queue.offer(e);
    if (added) {
      sent(0, false);
    }
    return added;
  }

  @Override
  public void put(E e) throws InterruptedException {
    Checks.notNull(e, "element for queue '" + name + "'");
    interruptible();
    tx.polled();
    if (queue.offer(e)) {
      sent(0, false);
      return;
    }
    long waitNs;
    flush.flush();
    try (WaitToken wait = tx.runtime.beginWait(tx.handle, false)) {
      try {
        queue.put(e);
      } catch (InterruptedException ie) {
        throw wait.interrupted(ie);
      }
      waitNs = wait.elapsedNanos();
    }
    sent(waitNs, true);
  }

  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    Checks.notNull(e, "element for queue '" + name + "'");
    Checks.notNull(unit, "unit");
    interruptible();
    tx.polled();
    if (queue.offer(e)) {
      sent(0, false);
      return true;
    }
    if (timeout <= 0) {
      return false;
    }
    boolean added;
    long waitNs;
    flush.flush();
    try (WaitToken wait = tx.runtime.beginWait(tx.handle, true)) {
      try {
        added = queue.offer(e, timeout, unit);
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

  /**
   * Throws for an interrupted caller, as the JDK's queues do in every blocking method, even when no
   * wait would be needed (they take their lock interruptibly first).
   */
  private static void interruptible() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  // ---- consumers ----

  @Override
  public @Nullable E poll() {
    rx.polled();
    E e = queue.poll();
    if (e != null) {
      received(0, false, 1);
    }
    return e;
  }

  @Override
  public E take() throws InterruptedException {
    interruptible();
    rx.polled();
    E e = queue.poll();
    if (e != null) {
      received(0, false, 1);
      return e;
    }
    long waitNs;
    flush.flush();
    try (WaitToken wait = rx.runtime.beginWait(rx.handle, false)) {
      try {
        e = queue.take();
      } catch (InterruptedException ie) {
        throw wait.interrupted(ie);
      }
      waitNs = wait.elapsedNanos();
    }
    received(waitNs, true, 1);
    return e;
  }

  @Override
  public @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
    Checks.notNull(unit, "unit");
    interruptible();
    rx.polled();
    E e = queue.poll();
    if (e != null) {
      received(0, false, 1);
      return e;
    }
    if (timeout <= 0) {
      return null;
    }
    long waitNs;
    flush.flush();
    try (WaitToken wait = rx.runtime.beginWait(rx.handle, true)) {
      try {
        e = queue.poll(timeout, unit);
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

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    Checks.notNull(c, "collection to drain queue '" + name + "' into");
    if (c == this) {
      throw new IllegalArgumentException("queue '" + name + "' cannot be drained into itself");
    }
    rx.polled();
    int n = queue.drainTo(c, maxElements);
    if (n > 0) {
      received(0, false, n);
    }
    return n;
  }

  // ---- the rest of the collection, straight from the JDK queue ----

  @Override
  public @Nullable E peek() {
    return queue.peek();
  }

  @Override
  public int size() {
    return queue.size();
  }

  @Override
  public int remainingCapacity() {
    return queue.remainingCapacity();
  }

  @Override
  public Iterator<E> iterator() {
    Iterator<E> it = queue.iterator();
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
        publish();
      }
    };
  }

  @Override
  public boolean remove(@Nullable Object o) {
    boolean removed = queue.remove(o);
    if (removed) {
      publish();
    }
    return removed;
  }

  @Override
  public boolean contains(@Nullable Object o) {
    return queue.contains(o);
  }

  @Override
  public void clear() {
    queue.clear();
    publish();
  }

  @Override
  public Object[] toArray() {
    return queue.toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return queue.toArray(a);
  }

  @Override
  public String toString() {
    return queue.toString();
  }

  // ---- bookkeeping ----

  private void sent(long waitNs, boolean waited) {
    stats.lock();
    try {
      sentTotal++;
      highWatermark = Math.max(highWatermark, queue.size());
      bodiesStale = true;
      tx.sent(waitNs, waited, false);
    } finally {
      stats.unlock();
    }
    events.writeHandedOff();
  }

  private void received(long waitNs, boolean waited, int count) {
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

  /** Writes the bodies now, after a change to the queue that was not a send or a receive. */
  private void publish() {
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
      int len = queue.size();
      highWatermark = Math.max(highWatermark, len);
      EntityBody.MpscTx body = new EntityBody.MpscTx(len, capacity, highWatermark, 1, sentTotal);
      tx.handle.mutate(b -> body);
      long total = recvTotal;
      rx.handle.mutate(b -> new EntityBody.MpscRx(total));
    }
  }

  /** Writes what the queue deferred; the queue's entities hold it weakly, the queue strongly. */
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
}
