package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.SourceCapture;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LinkedBlockingQueue} tracked as an mpsc channel: it is one (a field typed {@code
 * LinkedBlockingQueue} or {@code BlockingQueue} takes it, and every method is the JDK's, with its
 * exceptions, interrupt handling and {@code toString}), so adopting it is one constructor: {@code
 * new LinkedBlockingQueue<>()} becomes {@code new TrackedLinkedBlockingQueue<>("jobs")}, or {@code
 * new TrackedLinkedBlockingQueue<>()}, named after the line that creates it.
 *
 * <p>Producers and consumers are tracked like an mpsc channel's: {@code mpsc_tx}/{@code mpsc_rx}
 * entities with {@code queue_len}, {@code high_watermark} and the totals, {@code polls} edges from
 * the tasks that use it, {@code waiting_on} while {@code put}/{@code take} (or their timed forms)
 * block, and {@code channel_sent}/{@code channel_received} events (see {@link QueueTracking}).
 * Serialized, it is written as the JDK's queue is and read back as a plain {@code
 * LinkedBlockingQueue} with the same elements: a copy in another JVM has no graph to be tracked in.
 *
 * @param <E> the element type
 */
public final class TrackedLinkedBlockingQueue<E> extends LinkedBlockingQueue<E> {
  private static final long serialVersionUID = 1L;

  /** The entity's name: what a copy read by serialization is tracked under. */
  private final transient String name;

  private final transient QueueTracking tracking;

  /**
   * Creates an unbounded queue in the global runtime, named after the line that creates it: the
   * drop-in for {@code new LinkedBlockingQueue<>()}.
   */
  public TrackedLinkedBlockingQueue() {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), Integer.MAX_VALUE);
  }

  /**
   * The drop-in for {@code new LinkedBlockingQueue<>(capacity)}, named after its line.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public TrackedLinkedBlockingQueue(int capacity) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), capacity);
  }

  /**
   * The drop-in for {@code new LinkedBlockingQueue<>(elements)}, named after its line.
   *
   * @throws NullPointerException if {@code elements} or one of them is null
   */
  public TrackedLinkedBlockingQueue(Collection<? extends E> elements) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        Integer.MAX_VALUE,
        elements);
  }

  private TrackedLinkedBlockingQueue(
      MoireRuntime runtime, String name, int capacity, Collection<? extends E> elements) {
    this(runtime, name, capacity);
    for (E e : elements) {
      if (!super.offer(Objects.requireNonNull(e))) {
        throw new IllegalStateException("Queue full");
      }
    }
    tracking.changed();
  }

  /**
   * Creates a named unbounded queue in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedLinkedBlockingQueue(String name) {
    this(MoireRuntime.global(), name, Integer.MAX_VALUE);
  }

  /**
   * Creates a named queue in {@code runtime}; {@code Integer.MAX_VALUE} is unbounded.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is not positive
   */
  public TrackedLinkedBlockingQueue(MoireRuntime runtime, String name, int capacity) {
    super(capacity);
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "queue name");
    this.name = name;
    this.tracking =
        new QueueTracking(
            runtime,
            name,
            capacity == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(capacity),
            this::size);
  }

  /**
   * Serialized as its name, capacity and elements (a serialization proxy), and read back as a new
   * queue of the same, tracked in the global runtime.
   */
  private Object writeReplace() {
    long capacity = (long) size() + remainingCapacity();
    return new SerialForm(
        name, capacity >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) capacity, toArray());
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a tracked queue is read through its serial form");
  }

  private record SerialForm(String name, int capacity, Object[] elements)
      implements java.io.Serializable {
    private Object readResolve() {
      return new TrackedLinkedBlockingQueue<>(
          MoireRuntime.global(), name, capacity, java.util.Arrays.asList(elements));
    }
  }

  /** Returns the queue's unique name in the graph. */
  public String name() {
    return tracking.name();
  }

  @Override
  public boolean offer(E e) {
    return tracking.offer(e, super::offer);
  }

  @Override
  public void put(E e) throws InterruptedException {
    tracking.put(e, super::offer, super::put);
  }

  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    Predicate<E> now = super::offer;
    return tracking.offer(e, timeout, unit, now, super::offer);
  }

  @Override
  public @Nullable E poll() {
    return tracking.poll(super::poll);
  }

  @Override
  public E take() throws InterruptedException {
    return tracking.take(super::poll, super::take);
  }

  @Override
  public @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
    return tracking.poll(timeout, unit, super::poll, super::poll);
  }

  /** {@inheritDoc} The one-argument form comes here too, as in the JDK. */
  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    tracking.receiving();
    return tracking.drained(super.drainTo(c, maxElements));
  }

  @Override
  public boolean remove(@Nullable Object o) {
    return tracking.changedIf(super.remove(o));
  }

  @Override
  public boolean removeIf(Predicate<? super E> filter) {
    return tracking.changedIf(super.removeIf(filter));
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    return tracking.changedIf(super.removeAll(c));
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    return tracking.changedIf(super.retainAll(c));
  }

  @Override
  public void clear() {
    super.clear();
    tracking.changed();
  }

  @Override
  public Iterator<E> iterator() {
    return tracking.iterator(super.iterator());
  }
}
