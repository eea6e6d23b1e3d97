package dev.moire.runtime.internal;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.runtime.EdgeHandle;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Counts what each task holds of one resource (lock holds, permits, an initialisation, a channel
 * end) and keeps a {@code holds} edge from every task whose count is above zero. Its own small lock
 * guards the counts; it is a leaf, never held while blocking. Once the resource's handle is closed,
 * nothing more is recorded.
 *
 * <p>Lazy holders (issue 18: no shared lock on a primitive's uncontended path) only count: the
 * edges follow the counts when {@link #flush()} runs, which the primitive calls from its {@link
 * dev.moire.runtime.Deferred} (so whenever the graph is observed) and before one of its tasks
 * waits. Invariant: after a flush, a task has a {@code holds} edge exactly when its count is above
 * zero; between flushes the graph may lag the counts, and nobody sees it lag. A task's entry stays
 * in the map at zero until the next flush, so a task that takes and gives back allocates nothing.
 */
public final class Holders<B extends EntityBody> {
  private final MoireRuntime runtime;
  private final EntityHandle<B> handle;
  private final boolean sourcedHolds;
  private final boolean lazy;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<EntityId, Hold> holds = new HashMap<>();

  /**
   * The last task known to poll the resource. Its polls edge exists for as long as both ends do,
   * and an ended task's id is never given out again, so a task equal to it needs no graph access.
   */
  private volatile @Nullable EntityId lastPoller;

  private static final class Hold {
    long count;

    /** The holds edge; null while a lazy count is not in the graph. */
    @Nullable EdgeHandle edge;

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
      java.util.Iterator<Map.Entry<EntityId, Hold>> it = holds.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<EntityId, Hold> e = it.next();
        Hold h = e.getValue();
        if (h.count > 0 && h.edge == null && !handle.isClosed()) {
          h.edge = handle.linkFromOwned(e.getKey(), EdgeKind.HOLDS, false, Optional.empty());
        } else if (h.count == 0) {
          if (h.edge != null) {
            h.edge.close();
          }
          it.remove();
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
    lock.lock();
    try {
      if (lazy) {
        Hold h = holds.get(task.get());
        if (h == null) {
          h = new Hold(null);
          holds.put(task.get(), h);
        }
        h.count += n;
        return;
      }
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
      h.count += n;
    } finally {
      lock.unlock();
    }
  }

  /** Returns how much {@code task} holds. */
  public long heldBy(Optional<EntityId> task) {
    if (task.isEmpty()) {
      return 0;
    }
    lock.lock();
    try {
      Hold h = holds.get(task.get());
      return h == null ? 0 : h.count;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every holder (their edges go): the resource is known to be held by nobody. */
  public void clear() {
    lock.lock();
    try {
      for (Hold h : holds.values()) {
        if (h.edge != null) {
          h.edge.close();
        }
      }
      holds.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code n} from what {@code task} holds; its edge goes at zero. Returns how much was
   * taken (less than {@code n} when the task held less).
   */
  public long remove(Optional<EntityId> task, long n) {
    if (task.isEmpty() || n <= 0) {
      return 0;
    }
    lock.lock();
    try {
      Hold h = holds.get(task.get());
      if (h == null) {
        return 0;
      }
      long taken = Math.min(n, h.count);
      h.count -= taken;
      if (h.count == 0 && !lazy) {
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
