package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.SourceCapture;
import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LinkedBlockingDeque} tracked as an mpsc channel: it is one (a field typed {@code
 * LinkedBlockingDeque}, {@code BlockingDeque} or {@code BlockingQueue} takes it, and every method
 * is the JDK's, with its exceptions, interrupt handling and {@code toString}), so adopting it is
 * one constructor: {@code new LinkedBlockingDeque<>()} becomes {@code new
 * TrackedLinkedBlockingDeque<>()}, named after its line, or {@code new
 * TrackedLinkedBlockingDeque<>("work")}.
 *
 * <p>Elements go in at either end and come out at either end; the graph does not tell the ends
 * apart: whoever inserts is a producer ({@code polls} the {@code mpsc_tx} end, {@code waiting_on}
 * it while a {@code put} blocks), whoever removes is a consumer (the {@code mpsc_rx} end), with the
 * totals, high watermark and events of {@link QueueTracking}. As the JDK's deque, the untimed
 * {@code put}s and {@code take}s check the caller's interrupt only once they must wait; the timed
 * ones before anything. Serialized, it is written as its name, capacity and elements and read back
 * as a new tracked deque of the same, in the global runtime.
 *
 * @param <E> the element type
 */
public final class TrackedLinkedBlockingDeque<E> extends LinkedBlockingDeque<E> {
  private static final long serialVersionUID = 1L;

  private final transient String name;
  private final transient QueueTracking tracking;

  /** The drop-in for {@code new LinkedBlockingDeque<>()}: unbounded, named after its line. */
  public TrackedLinkedBlockingDeque() {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), Integer.MAX_VALUE);
  }

  /**
   * The drop-in for {@code new LinkedBlockingDeque<>(capacity)}, named after its line.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public TrackedLinkedBlockingDeque(int capacity) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), capacity);
  }

  /**
   * The drop-in for {@code new LinkedBlockingDeque<>(elements)}, named after its line.
   *
   * @throws NullPointerException if {@code elements} or one of them is null
   */
  public TrackedLinkedBlockingDeque(Collection<? extends E> elements) {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()), Integer.MAX_VALUE);
    addAll(elements);
  }

  /**
   * Creates a named unbounded deque in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedLinkedBlockingDeque(String name) {
    this(MoireRuntime.global(), name, Integer.MAX_VALUE);
  }

  /**
   * Creates a named deque in {@code runtime}; {@code Integer.MAX_VALUE} is unbounded.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is not positive
   */
  public TrackedLinkedBlockingDeque(MoireRuntime runtime, String name, int capacity) {
    super(capacity);
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "deque name");
    this.name = name;
    this.tracking =
        new QueueTracking(
            runtime,
            name,
            capacity == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(capacity),
            this::size,
            false);
  }

  private Object writeReplace() {
    long capacity = (long) size() + remainingCapacity();
    return new SerialForm(
        name, capacity >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) capacity, toArray());
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a tracked deque is read through its serial form");
  }

  private record SerialForm(String name, int capacity, Object[] elements)
      implements java.io.Serializable {
    private Object readResolve() {
      TrackedLinkedBlockingDeque<Object> copy =
          new TrackedLinkedBlockingDeque<>(MoireRuntime.global(), name, capacity);
      copy.addAll(Arrays.asList(elements));
      return copy;
    }
  }

  /** Returns the deque's unique name in the graph. */
  public String name() {
    return tracking.name();
  }

  // Insertions: the unsuffixed forms (add, offer, put, push, ...) come here, as in the JDK.

  @Override
  public boolean offerFirst(E e) {
    return tracking.offer(e, super::offerFirst);
  }

  @Override
  public boolean offerLast(E e) {
    return tracking.offer(e, super::offerLast);
  }

  @Override
  public void putFirst(E e) throws InterruptedException {
    tracking.put(e, super::offerFirst, super::putFirst);
  }

  @Override
  public void putLast(E e) throws InterruptedException {
    tracking.put(e, super::offerLast, super::putLast);
  }

  @Override
  public boolean offerFirst(E e, long timeout, TimeUnit unit) throws InterruptedException {
    Predicate<E> now = super::offerFirst;
    return tracking.offer(e, timeout, unit, now, super::offerFirst);
  }

  @Override
  public boolean offerLast(E e, long timeout, TimeUnit unit) throws InterruptedException {
    Predicate<E> now = super::offerLast;
    return tracking.offer(e, timeout, unit, now, super::offerLast);
  }

  /**
   * {@inheritDoc} As the JDK's: all at once when they fit, else one by one until full. Each element
   * counts as one send.
   */
  @Override
  public boolean addAll(Collection<? extends E> c) {
    if (!tracking.enabled()) {
      return super.addAll(c);
    }
    if (c == this) {
      throw new IllegalArgumentException();
    }
    Counted<E> counted = new Counted<>(c);
    tracking.sending();
    boolean added = super.addAll(counted);
    // A second pass is the JDK's one-by-one fallback, whose adds counted themselves.
    return counted.passes == 1 ? tracking.sentAll(added, counted.elements) : added;
  }

  // Removals: poll, take, remove(), pop, ... come here, as in the JDK.

  @Override
  public @Nullable E pollFirst() {
    return tracking.poll(super::pollFirst);
  }

  @Override
  public @Nullable E pollLast() {
    return tracking.poll(super::pollLast);
  }

  @Override
  public E takeFirst() throws InterruptedException {
    return tracking.take(super::pollFirst, super::takeFirst);
  }

  @Override
  public E takeLast() throws InterruptedException {
    return tracking.take(super::pollLast, super::takeLast);
  }

  @Override
  public @Nullable E pollFirst(long timeout, TimeUnit unit) throws InterruptedException {
    return tracking.poll(timeout, unit, super::pollFirst, super::pollFirst);
  }

  @Override
  public @Nullable E pollLast(long timeout, TimeUnit unit) throws InterruptedException {
    return tracking.poll(timeout, unit, super::pollLast, super::pollLast);
  }

  /** {@inheritDoc} The one-argument form comes here too, as in the JDK. */
  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    tracking.receiving();
    return tracking.drained(super.drainTo(c, maxElements));
  }

  @Override
  public boolean removeFirstOccurrence(@Nullable Object o) {
    return tracking.changedIf(super.removeFirstOccurrence(o));
  }

  @Override
  public boolean removeLastOccurrence(@Nullable Object o) {
    return tracking.changedIf(super.removeLastOccurrence(o));
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

  @Override
  public Iterator<E> descendingIterator() {
    return tracking.iterator(super.descendingIterator());
  }

  /**
   * A view of a collection that counts how often it is iterated and how many elements the first
   * pass yields: the JDK's {@code addAll} reads it once when it appends the whole chain, twice when
   * it falls back to adding one by one.
   */
  private static final class Counted<E> extends AbstractCollection<E> {
    private final Collection<? extends E> c;
    int passes;
    int elements;

    Counted(Collection<? extends E> c) {
      this.c = c;
    }

    @Override
    public Iterator<E> iterator() {
      Iterator<? extends E> it = c.iterator();
      boolean first = ++passes == 1;
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public E next() {
          E e = it.next();
          if (first) {
            elements++;
          }
          return e;
        }
      };
    }

    @Override
    public int size() {
      return c.size();
    }
  }
}
