package dev.moire.runtime.internal;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.runtime.EdgeHandle;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Counts what each task holds of one resource (lock holds, permits, an initialisation, a channel
 * end) and keeps a {@code holds} edge from every task whose count is above zero. Once the
 * resource's handle is closed, nothing more is recorded.
 *
 * <p>Eager holders write each edge as the count leaves or reaches zero, under their own small lock
 * (a leaf, never held while blocking), so the graph follows every change.
 *
 * <p>Lazy holders (issue 18: no shared lock on a primitive's uncontended path) only count, without
 * any lock: each task's count is an atomic in a concurrent map, so tasks holding the same resource
 * touch different counters, and a task that takes and gives back allocates nothing. The edges
 * follow the counts when {@link #flush()} runs, which the primitive calls from its {@link
 * dev.moire.runtime.Deferred} (so whenever the graph is observed) and before one of its tasks
 * waits. Invariants:
 *
 * <ul>
 *   <li>After a flush, a task has a {@code holds} edge exactly when its count was above zero when
 *       the flush read it; between flushes the graph may lag the counts, and nobody sees it lag.
 *   <li>Only a flush (under {@code lock}, never on an operation's path) writes or removes edges and
 *       retires entries: it retires a zero count by setting it to {@link #RETIRED} with a
 *       compare-and-set, so a count is never added to an entry that has left the map (an adder that
 *       finds it retired looks the task up again).
 * </ul>
 */
public final class Holders<B extends EntityBody> {
  /** The count of an entry a flush took out of the map. */
  private static final long RETIRED = -1;

  private final MoireRuntime runtime;
  private final EntityHandle<B> handle;
  private final boolean sourcedHolds;
  private final boolean lazy;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentHashMap<EntityId, Hold> holds = new ConcurrentHashMap<>();

  /**
   * The last task known to poll the resource. Its polls edge exists for as long as both ends do,
   * and an ended task's id is never given out again, so a task equal to it needs no graph access.
   */
  private volatile @Nullable EntityId lastPoller;

  private static final class Hold extends AtomicLong {
    private static final long serialVersionUID = 1L;

    /** The holds edge; null while a lazy count is not in the graph. Guarded by {@code lock}. */
    transient @Nullable EdgeHandle edge;

    Hold(@Nullable EdgeHandle edge) {
      this.edge = edge;
    }
  }

  /**
   * Creates the holders of the resource {@code handle} stands for.
   *
   * @param sourcedHolds whether {@code holds} edges carry the operation's source (when
   *     per-operation sources are on)
   */
  public Holders(MoireRuntime runtime, EntityHandle<B> handle, boolean sourcedHolds) {
    this(runtime, handle, sourcedHolds, false);
  }

  /**
   * Creates the holders of the resource {@code handle} stands for, lazy ones if {@code lazy}: their
   * edges reach the graph at {@link #flush()} only (and carry no operation's source).
   */
  public Holders(MoireRuntime runtime, EntityHandle<B> handle, boolean sourcedHolds, boolean lazy) {
    this.runtime = runtime;
    this.handle = handle;
    this.sourcedHolds = sourcedHolds && !lazy;
    this.lazy = lazy;
  }

  /**
   * Brings the graph in line with the counts of lazy holders: an edge for every task above zero,
   * none for the others. Does nothing for eager ones, whose edges follow each change.
   */
  public void flush() {
    if (!lazy) {
      return;
    }
    lock.lock();
    try {
      for (Map.Entry<EntityId, Hold> e : holds.entrySet()) {
        Hold h = e.getValue();
        long count = h.get();
        if (count > 0 && h.edge == null && !handle.isClosed()) {
          h.edge = handle.linkFromOwned(e.getKey(), EdgeKind.HOLDS, false, Optional.empty());
        } else if (count == 0 && h.compareAndSet(0, RETIRED)) {
          holds.remove(e.getKey(), h);
          if (h.edge != null) {
            h.edge.close();
            h.edge = null;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Returns the runtime the resource lives in. */
  public MoireRuntime runtime() {
    return runtime;
  }

  /** Returns the resource's handle. */
  public EntityHandle<B> handle() {
    return handle;
  }

  /** Returns the current task, which operations attribute their holds and waits to. */
  public Optional<EntityId> task() {
    return runtime.currentTask();
  }

  /**
   * The tasks known to poll the resource (their edges exist while both ends do; a task's id is
   * never given out again), so tasks that take turns do not write the graph at each turn. Forgotten
   * past {@link #POLLERS_KEPT}: the edges of those that come back are written again, harmlessly.
   */
  private final java.util.Set<EntityId> pollers =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static final int POLLERS_KEPT = 256;

  /** Ensures the current task {@code polls} the resource; returns the task. */
  public Optional<EntityId> polled() {
    Optional<EntityId> task = runtime.currentTask();
    if (task.isEmpty()) {
      return task;
    }
    EntityId t = task.get();
    if (t == lastPoller || pollers.contains(t) || handle.isClosed()) {
      return task; // no write, not even to lastPoller: tasks taking turns share no cache line
    }
    if (pollers.size() >= POLLERS_KEPT) {
      pollers.clear();
    }
    handle.linkFrom(t, EdgeKind.POLLS);
    pollers.add(t);
    lastPoller = t;
    return task;
  }

  /** Adds {@code n} to what {@code task} holds. */
  public void add(Optional<EntityId> task, long n) {
    if (task.isEmpty() || n <= 0 || handle.isClosed()) {
      return;
    }
    if (lazy) {
      EntityId t = task.get();
      while (true) {
        Hold h = holds.get(t);
        if (h == null) {
          h = holds.computeIfAbsent(t, k -> new Hold(null));
        }
        long c = h.get();
        if (c == RETIRED) {
          holds.remove(t, h); // a flush retired it and is about to take it out: help, look again
          continue;
        }
        if (h.compareAndSet(c, c + n)) {
          return;
        }
      }
    }
    lock.lock();
    try {
      Hold h =
          holds.computeIfAbsent(
              task.get(),
              t ->
                  new Hold(
                      handle.linkFromOwned(
                          t,
                          EdgeKind.HOLDS,
                          false,
                          sourcedHolds ? runtime.operationSource() : Optional.empty())));
      h.addAndGet(n);
    } finally {
      lock.unlock();
    }
  }

  /** Returns how much {@code task} holds. */
  public long heldBy(Optional<EntityId> task) {
    if (task.isEmpty()) {
      return 0;
    }
    Hold h = holds.get(task.get());
    return h == null ? 0 : Math.max(0, h.get());
  }

  /** Forgets every holder (their edges go): the resource is known to be held by nobody. */
  public void clear() {
    lock.lock();
    try {
      for (Map.Entry<EntityId, Hold> e : holds.entrySet()) {
        Hold h = e.getValue();
        h.set(RETIRED);
        holds.remove(e.getKey(), h);
        if (h.edge != null) {
          h.edge.close();
          h.edge = null;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code n} from what {@code task} holds; its edge goes at zero (for lazy holders, at
   * the next flush). Returns how much was taken (less than {@code n} when the task held less).
   */
  public long remove(Optional<EntityId> task, long n) {
    if (task.isEmpty() || n <= 0) {
      return 0;
    }
    if (lazy) {
      Hold h = holds.get(task.get());
      if (h == null) {
        return 0;
      }
      while (true) {
        long c = h.get();
        if (c <= 0) {
          return 0; // nothing held, or retired
        }
        long taken = Math.min(n, c);
        if (h.compareAndSet(c, c - taken)) {
          return taken;
        }
      }
    }
    lock.lock();
    try {
      Hold h = holds.get(task.get());
      if (h == null) {
        return 0;
      }
      long taken = Math.min(n, h.get());
      if (h.addAndGet(-taken) == 0) {
        holds.remove(task.get());
        if (h.edge != null) {
          h.edge.close();
        }
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }
}
