package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.SourceCapture;
import java.util.Collection;
import java.util.Iterator;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ArrayBlockingQueue} tracked as an mpsc channel: it is one (a field typed {@code
 * ArrayBlockingQueue} or {@code BlockingQueue} takes it, and every method is the JDK's, with its
 * exceptions, interrupt handling and {@code toString}), so adopting it is one constructor: {@code
 * new ArrayBlockingQueue<>(16)} becomes {@code new TrackedArrayBlockingQueue<>("jobs", 16)}, or
 * {@code new TrackedArrayBlockingQueue<>(16)}, named after the line that creates it.
 *
 * <p>Producers and consumers are tracked like an mpsc channel's: {@code mpsc_tx}/{@code mpsc_rx}
 * entities with {@code queue_len}, {@code high_watermark} and the totals, {@code polls} edges from
 * the tasks that use it, {@code waiting_on} while {@code put}/{@code take} (or their timed forms)
 * block, and {@code channel_sent}/{@code channel_received} events (see {@link QueueTracking}).
 * Serialized, it is written as the JDK's queue is and read back as a plain {@code
 * ArrayBlockingQueue} with the same elements: a copy in another JVM has no graph to be tracked in.
 *
 * @param <E> the element type
 */
public final class TrackedArrayBlockingQueue<E> extends ArrayBlockingQueue<E> {
  private static final long serialVersionUID = 1L;

  /** The entity's name: what a copy read by serialization is tracked under. */
  private final transient String name;

  /** Whether waiting producers and consumers are served in order, as constructed. */
  private final transient boolean fair;

  private final transient QueueTracking tracking;

  /**
   * Creates a queue of the given capacity, non-fair, in the global runtime, named after the line
   * that creates it: the drop-in for {@code new ArrayBlockingQueue<>(capacity)}.
   *
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public TrackedArrayBlockingQueue(int capacity) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), capacity, false);
  }

  /**
   * The drop-in for {@code new ArrayBlockingQueue<>(capacity, fair)}, named after its line.
   *
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public TrackedArrayBlockingQueue(int capacity, boolean fair) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), capacity, fair);
  }

  /**
   * The drop-in for {@code new ArrayBlockingQueue<>(capacity, fair, elements)}, named after its
   * line.
   *
   * @throws IllegalArgumentException if {@code capacity} is less than 1 or than the elements
   * @throws NullPointerException if {@code elements} or one of them is null
   */
  public TrackedArrayBlockingQueue(int capacity, boolean fair, Collection<? extends E> elements) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        capacity,
        fair,
        elements);
  }

  private TrackedArrayBlockingQueue(
      MoireRuntime runtime,
      String name,
      int capacity,
      boolean fair,
      Collection<? extends E> elements) {
    super(capacity, fair, elements);
    this.name = name;
    this.fair = fair;
    this.tracking = new QueueTracking(runtime, name, OptionalInt.of(capacity), this::size);
    tracking.changed();
  }

  /**
   * Creates a named queue of the given capacity in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is less than 1
   */
  public TrackedArrayBlockingQueue(String name, int capacity) {
    this(MoireRuntime.global(), name, capacity, false);
  }

  /**
   * Creates a named queue in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is less than 1
   */
  public TrackedArrayBlockingQueue(MoireRuntime runtime, String name, int capacity, boolean fair) {
    super(capacity, fair);
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "queue name");
    this.name = name;
    this.fair = fair;
    this.tracking = new QueueTracking(runtime, name, OptionalInt.of(capacity), this::size);
  }

  /**
   * Serialized as its name, capacity, fairness and elements (a serialization proxy), and read back
   * as a new queue of the same, tracked in the global runtime.
   */
  private Object writeReplace() {
    return new SerialForm(name, size() + remainingCapacity(), fair, toArray());
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a tracked queue is read through its serial form");
  }

  private record SerialForm(String name, int capacity, boolean fair, Object[] elements)
      implements java.io.Serializable {
    private Object readResolve() {
      return new TrackedArrayBlockingQueue<>(
          MoireRuntime.global(), name, capacity, fair, java.util.Arrays.asList(elements));
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
