package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

  private final QueueTracking tracking;

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
    this.queue =
        capacity.isPresent()
            ? new ArrayBlockingQueue<>(capacity.getAsInt())
            : new LinkedBlockingQueue<>();
    this.tracking = new QueueTracking(runtime, name, capacity, queue::size);
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
    return tracking.name();
  }

  // ---- producers and consumers: the JDK queue's, tracked ----

  @Override
  public boolean offer(E e) {
    if (!tracking.enabled()) {
      return queue.offer(element(e)); // tracking off: the JDK queue's, and nothing else
    }
    return tracking.offer(element(e), queue::offer);
  }

  @Override
  public void put(E e) throws InterruptedException {
    if (!tracking.enabled()) {
      queue.put(element(e));
      return;
    }
    tracking.put(element(e), queue::offer, queue::put);
  }

  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    if (!tracking.enabled()) {
      return queue.offer(element(e), timeout, unit);
    }
    Predicate<E> now = queue::offer;
    return tracking.offer(element(e), timeout, unit, now, queue::offer);
  }

  @Override
  public @Nullable E poll() {
    return tracking.enabled() ? tracking.poll(queue::poll) : queue.poll();
  }

  @Override
  public E take() throws InterruptedException {
    return tracking.enabled() ? tracking.take(queue::poll, queue::take) : queue.take();
  }

  @Override
  public @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
    return tracking.enabled()
        ? tracking.poll(timeout, unit, queue::poll, queue::poll)
        : queue.poll(timeout, unit);
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    Checks.notNull(c, "collection to drain queue '" + name() + "' into");
    if (c == this) {
      throw new IllegalArgumentException("queue '" + name() + "' cannot be drained into itself");
    }
    tracking.receiving();
    return tracking.drained(queue.drainTo(c, maxElements));
  }

  /** Returns {@code e}, refusing null with a message that names the queue (built only then). */
  private E element(E e) {
    if (e == null) {
      throw new NullPointerException("element for queue '" + name() + "' must not be null");
    }
    return e;
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
    return tracking.iterator(queue.iterator());
  }

  @Override
  public boolean remove(@Nullable Object o) {
    boolean removed = queue.remove(o);
    if (removed) {
      tracking.changed();
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
    tracking.changed();
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
}
