package dev.moire.runtime;

import dev.moire.model.EventBody;
import dev.moire.model.Source;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.EntityCell;
import dev.moire.runtime.internal.Graph;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Events about the entities of one primitive, kept in order and written to the graph in batches,
 * each event with the time it happened. A busy channel then takes the graph's lock once per batch
 * instead of once per message, and mostly not while it holds its own lock.
 *
 * <p>How events reach the graph: {@link #add} (under the primitive's lock) fills a batch; a full
 * batch of {@value #BATCH} is handed off, and the operation that filled it writes it with {@link
 * #writeHandedOff()} after it has released the primitive's lock, so the other side of a channel is
 * not held up meanwhile. {@link #flush()} (under the primitive's lock: before a task waits on it,
 * before an end closes, and from its {@link Deferred} when the graph is observed) writes everything
 * at once. Batches are written in the order they were filled ({@code writing} orders the writers),
 * so the journal has the events in the order they happened.
 *
 * <p>{@link #add} and {@link #flush} are not thread-safe: the primitive calls them under its own
 * internal lock, the one that orders the operations the events describe.
 */
public final class EventBuffer {
  /** How many events a batch holds. */
  public static final int BATCH = 256;

  private final Graph graph;
  private final ReentrantLock writing = new ReentrantLock();
  private final AtomicReference<@Nullable Batch> handedOff = new AtomicReference<>();
  private Batch filling = new Batch(8);

  private static final class Batch {
    final EntityCell[] targets;
    final EventBody[] bodies;
    final Source[] sources;
    final long[] nanos;
    int size;

    Batch(int capacity) {
      targets = new EntityCell[capacity];
      bodies = new EventBody[capacity];
      sources = new Source[capacity];
      nanos = new long[capacity];
    }

    Batch grown() {
      Batch b = new Batch(Math.min(BATCH, targets.length * 2));
      System.arraycopy(targets, 0, b.targets, 0, size);
      System.arraycopy(bodies, 0, b.bodies, 0, size);
      System.arraycopy(sources, 0, b.sources, 0, size);
      System.arraycopy(nanos, 0, b.nanos, 0, size);
      b.size = size;
      return b;
    }
  }

  /**
   * Creates an empty buffer in {@code runtime}.
   *
   * @throws NullPointerException if {@code runtime} is null
   */
  public EventBuffer(MoireRuntime runtime) {
    this.graph = Checks.notNull(runtime, "runtime").graph();
  }

  /**
   * Records an event about the entity of {@code about}, happening now; nothing when moire is
   * disabled or the handle is closed. When this fills a batch, the caller should call {@link
   * #writeHandedOff()} once it has released its lock.
   */
  public void add(EntityHandle<?> about, EventBody body, Source source) {
    add(about, body, source, graph.clockNanos());
  }

  /** Returns the clock's reading now, for {@link #add(EntityHandle, EventBody, Source, long)}. */
  public long clockNanos() {
    return graph.clockNanos();
  }

  /**
   * Records an event about the entity of {@code about} that happened at clock reading {@code nanos}
   * (from {@link #clockNanos()}; taking it before the primitive's lock keeps the lock short). Times
   * are kept as given: the journal orders events by when they were recorded.
   */
  public void add(EntityHandle<?> about, EventBody body, Source source, long nanos) {
    if (!graph.enabled() || about.isClosed()) {
      return;
    }
    Batch b = filling;
    if (b.size == b.targets.length) {
      if (b.size < BATCH) {
        b = filling = b.grown();
      } else {
        if (!handedOff.compareAndSet(null, b)) {
          // The batch before has not been written yet: write both now, in order.
          write(b);
        }
        b = filling = new Batch(BATCH);
      }
    }
    int i = b.size;
    b.targets[i] = about.cell();
    b.bodies[i] = body;
    b.sources[i] = source;
    b.nanos[i] = nanos;
    b.size = i + 1;
  }

  /** Writes the batch handed off by {@link #add}, if still there; call it without any lock held. */
  public void writeHandedOff() {
    if (handedOff.get() != null) {
      write(null);
    }
  }

  /** Writes every waiting event to the graph, in the order they happened. */
  public void flush() {
    Batch b = filling;
    if (b.size == 0 && handedOff.get() == null) {
      return;
    }
    write(b);
    filling = b.targets.length == BATCH ? new Batch(BATCH) : new Batch(b.targets.length);
  }

  /**
   * Under {@code writing}: the handed-off batch, if any, then {@code last}. A batch is handed off
   * only once the one before has been taken, and taking and appending happen under {@code writing}
   * in one go, so batches reach the graph in the order they were filled.
   */
  private void write(@Nullable Batch last) {
    writing.lock();
    try {
      Batch h = handedOff.getAndSet(null);
      if (h != null) {
        append(h);
      }
      if (last != null) {
        append(last);
      }
    } finally {
      writing.unlock();
    }
  }

  private void append(Batch b) {
    graph.appendEvents(b.targets, b.bodies, b.sources, b.nanos, b.size);
  }
}
