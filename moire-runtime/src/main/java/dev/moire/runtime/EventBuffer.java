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
 * <p>Runs (issue 18): a send or receive that neither waited nor found the channel closed extends
 * the open run of its entity (same kind, same source) instead of adding an event, so a busy channel
 * adds one counted event ({@link EventBody.ChannelSent#run}) per run rather than one per message. A
 * run is open from its first event until an event of another kind for the same entity (one that
 * waited, say), until its batch is written, or until {@link #flush()}; each entity has at most one
 * open run, and the buffer keeps at most {@value #OPEN_RUNS} (an older one is closed for a newer).
 * A run's event has the time of its first operation and the span to its last.
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

  /** How many runs may be open at once (a channel has two ends; a broadcast, a few receivers). */
  static final int OPEN_RUNS = 4;

  /** The entities of the open runs, and each run's index in {@code filling}; null: a free slot. */
  private final @Nullable EntityCell[] runTargets = new EntityCell[OPEN_RUNS];

  private final int[] runIndexes = new int[OPEN_RUNS];
  private int nextRunSlot;

  /** The latest time recorded, so that times follow the order of the events. */
  private long lastNanos = Long.MIN_VALUE;

  private static final class Batch {
    final EntityCell[] targets;
    final EventBody[] bodies;
    final Source[] sources;
    final long[] nanos;

    /** How many operations each event stands for (above 1: a run), and its last one's time. */
    final long[] counts;

    final long[] lastNanos;

    /** Whether the event's last time is read when its run closes (it was extended unread). */
    final boolean[] lastAtClose;

    int size;

    Batch(int capacity) {
      targets = new EntityCell[capacity];
      bodies = new EventBody[capacity];
      sources = new Source[capacity];
      nanos = new long[capacity];
      counts = new long[capacity];
      lastNanos = new long[capacity];
      lastAtClose = new boolean[capacity];
    }

    Batch grown() {
      Batch b = new Batch(Math.min(BATCH, targets.length * 2));
      System.arraycopy(targets, 0, b.targets, 0, size);
      System.arraycopy(bodies, 0, b.bodies, 0, size);
      System.arraycopy(sources, 0, b.sources, 0, size);
      System.arraycopy(nanos, 0, b.nanos, 0, size);
      System.arraycopy(counts, 0, b.counts, 0, size);
      System.arraycopy(lastNanos, 0, b.lastNanos, 0, size);
      System.arraycopy(lastAtClose, 0, b.lastAtClose, 0, size);
      b.size = size;
      return b;
    }

    /** The body event {@code i} is written with: a run's counted body when it stands for more. */
    EventBody body(int i) {
      long n = counts[i];
      if (n <= 1) {
        return bodies[i];
      }
      long span = Math.max(0, lastNanos[i] - nanos[i]);
      return bodies[i] instanceof EventBody.ChannelReceived
          ? EventBody.ChannelReceived.run(n, span)
          : EventBody.ChannelSent.run(n, span);
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
    record(about, body, source, graph.clockNanos());
  }

  /** Returns the clock's reading now, for {@link #add(EntityHandle, EventBody, Source, long)}. */
  public long clockNanos() {
    return graph.clockNanos();
  }

  /**
   * Records an event about the entity of {@code about} that happened at clock reading {@code nanos}
   * (from {@link #clockNanos()}; taking it before the primitive's lock keeps the lock short). Times
   * are kept as given, except that an event never gets a time before the one recorded before it:
   * times read outside the lock are then still in the order the lock gave the events.
   */
  public void add(EntityHandle<?> about, EventBody body, Source source, long nanos) {
    record(about, body, source, nanos);
  }

  /**
   * Records an event about the entity of {@code about}, happening now, as {@link #add(EntityHandle,
   * EventBody, Source)} does; the clock is read only when the event starts an entry, not when it
   * extends a run (whose end is then read when the run closes: a run's span is the time from its
   * first operation to when it was closed, an upper bound of the time to its last one).
   */
  public void addNow(EntityHandle<?> about, EventBody body, Source source) {
    record(about, body, source, UNREAD);
  }

  /** The time of an event whose time is read only if it starts an entry. */
  private static final long UNREAD = Long.MIN_VALUE;

  private void record(EntityHandle<?> about, EventBody body, Source source, long at) {
    if (!graph.enabled() || about.isClosed()) {
      return;
    }
    EntityCell cell = about.cell();
    boolean immediate = isImmediate(body);
    int slot = runSlot(cell);
    if (slot >= 0) {
      Batch f = filling;
      int r = runIndexes[slot];
      if (immediate && f.bodies[r].getClass() == body.getClass() && f.sources[r].equals(source)) {
        f.counts[r]++;
        if (at == UNREAD) {
          f.lastAtClose[r] = true;
        } else {
          f.lastNanos[r] = ordered(at);
          f.lastAtClose[r] = false;
        }
        return;
      }
      closeRun(slot); // another kind of event: the run ends here
    }
    long nanos = ordered(at == UNREAD ? graph.clockNanos() : at);
    Batch b = filling;
    if (b.size == b.targets.length) {
      if (b.size < BATCH) {
        b = filling = b.grown();
      } else {
        closeRuns();
        if (!handedOff.compareAndSet(null, b)) {
          // The batch before has not been written yet: write both now, in order.
          write(b);
        }
        b = filling = new Batch(BATCH);
      }
    }
    int i = b.size;
    b.targets[i] = cell;
    b.bodies[i] = body;
    b.sources[i] = source;
    b.nanos[i] = nanos;
    b.counts[i] = 1;
    b.lastNanos[i] = nanos;
    b.lastAtClose[i] = false;
    b.size = i + 1;
    if (immediate) {
      openRun(cell, i);
    }
  }

  /**
   * Times read before the primitive's lock may come out of the order the lock gave the events: an
   * event never carries a time before the one recorded before it.
   */
  private long ordered(long nanos) {
    if (nanos < lastNanos) {
      return lastNanos;
    }
    lastNanos = nanos;
    return nanos;
  }

  /** Whether the event may be part of a run: a send or receive that neither waited nor failed. */
  private static boolean isImmediate(EventBody body) {
    if (body instanceof EventBody.ChannelSent s) {
      return s.count() == 1 && !s.closed() && s.waitNs().isEmpty();
    }
    if (body instanceof EventBody.ChannelReceived r) {
      return r.count() == 1 && !r.closed() && r.waitNs().isEmpty();
    }
    return false;
  }

  private int runSlot(EntityCell cell) {
    for (int k = 0; k < OPEN_RUNS; k++) {
      if (runTargets[k] == cell) {
        return k;
      }
    }
    return -1;
  }

  private void openRun(EntityCell cell, int index) {
    int slot = -1;
    for (int k = 0; k < OPEN_RUNS; k++) {
      if (runTargets[k] == null) {
        slot = k;
        break;
      }
    }
    if (slot < 0) {
      slot = nextRunSlot; // all taken: close the oldest-placed one
      nextRunSlot = (nextRunSlot + 1) % OPEN_RUNS;
      closeRun(slot);
    }
    runTargets[slot] = cell;
    runIndexes[slot] = index;
  }

  /** Ends the run in {@code slot}: its last time, if not known, is now. */
  private void closeRun(int slot) {
    if (runTargets[slot] == null) {
      return;
    }
    runTargets[slot] = null;
    Batch f = filling;
    int r = runIndexes[slot];
    if (f.lastAtClose[r]) {
      f.lastAtClose[r] = false;
      f.lastNanos[r] = ordered(graph.clockNanos());
    }
  }

  private void closeRuns() {
    for (int k = 0; k < OPEN_RUNS; k++) {
      closeRun(k);
    }
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
    closeRuns();
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
    for (int i = 0; i < b.size; i++) {
      if (b.counts[i] > 1) {
        b.bodies[i] = b.body(i);
        b.counts[i] = 1;
      }
    }
    graph.appendEvents(b.targets, b.bodies, b.sources, b.nanos, b.size);
  }
}
