package dev.moire.runtime.internal;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.runtime.EdgeHandle;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Lazy holders (issue 18: no shared lock on a primitive's uncontended path) only count, with
 * neither a lock nor an atomic instruction: each task's count lives in its own {@code Hold}, and
 * only the task's own thread writes it (a task runs on one thread at a time), with a release store
 * that a flush reads with an acquire load. The edges follow the counts when {@link #flush()} runs,
 * which the primitive calls from its {@link dev.moire.runtime.Deferred} (so whenever the graph is
 * observed) and before one of its tasks waits. Invariants:
 *
 * <ul>
 *   <li>After a flush, a task has a {@code holds} edge exactly when its count was above zero when
 *       the flush read it; between flushes the graph may lag the counts, and nobody sees it lag.
 *   <li>A flush (under {@code lock}, never on an operation's path) is the only writer of edges, and
 *       it takes an entry out of the map only when its count is zero and its task has left the
 *       graph: a task that left never counts again, so no count is lost with its entry.
 *   <li>{@link #clear()} (the resource is known to be held by nobody) does not write the owners'
 *       counts: it starts a new generation, and a count of an older generation reads as zero.
 * </ul>
 */
public final class Holders<B extends EntityBody> {
  private final MoireRuntime runtime;
  private final EntityHandle<B> handle;
  private final boolean sourcedHolds;
  private final boolean lazy;
  private final ReentrantLock lock = new ReentrantLock();

  /** Eager holders' counts. Guarded by {@code lock}. */
  private final Map<EntityId, EagerHold> eager = new HashMap<>();

  /** Lazy holders' counts, one entry per task that held the resource since it left the graph. */
  private final ConcurrentHashMap<EntityId, LazyHold> holds = new ConcurrentHashMap<>();

  /** The hold last looked up: a task using its own resource finds it without a map lookup. */
  private volatile @Nullable LazyHold last;

  /** Counts of an older generation read as zero ({@link #clear()}). */
  private volatile int generation;

  /**
   * The last task known to poll the resource. Its polls edge exists for as long as both ends do,
   * and an ended task's id is never given out again, so a task equal to it needs no graph access.
   */
  private volatile @Nullable EntityId lastPoller;

  private static final class EagerHold {
    long count;
    final @Nullable EdgeHandle edge;

    EagerHold(@Nullable EdgeHandle edge) {
      this.edge = edge;
    }
  }

  private static final class LazyHold {
    private static final VarHandle COUNT;
    private static final VarHandle GENERATION;

    static {
      try {
        MethodHandles.Lookup l = MethodHandles.lookup();
        COUNT = l.findVarHandle(LazyHold.class, "count", long.class);
        GENERATION = l.findVarHandle(LazyHold.class, "countGeneration", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final EntityId task;

    /** Written by the task's thread only (release stores), read by anyone (acquire loads). */
    @SuppressWarnings("unused") // through COUNT
    private long count;

    @SuppressWarnings("unused") // through GENERATION
    private int countGeneration;

    /** The holds edge; null while the count is not in the graph. Guarded by {@code lock}. */
    @Nullable EdgeHandle edge;

    LazyHold(EntityId task, int generation) {
      this.task = task;
      this.countGeneration = generation;
    }

    /** The count, as of {@code generation}: zero if it was counted before a clear. */
    long count(int generation) {
      long c = (long) COUNT.getAcquire(this);
      return (int) GENERATION.getAcquire(this) == generation ? c : 0;
    }

    /** Sets the count; called by the task's thread only. */
    void set(long c, int generation) {
      if ((int) GENERATION.getOpaque(this) != generation) {
        GENERATION.setRelease(this, generation);
      }
      COUNT.setRelease(this, c);
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
    this.contexts = Contexts.of(runtime);
  }

  /**
   * Brings the graph in line with the counts of lazy holders: an edge for every task above zero,
   * none for the others; forgets tasks that hold nothing and have left the graph. Does nothing for
   * eager ones, whose edges follow each change.
   */
  public void flush() {
    if (!lazy) {
      return;
    }
    lock.lock();
    try {
      int gen = generation;
      for (LazyHold h : holds.values()) {
        long count = h.count(gen);
        if (count > 0) {
          if (h.edge == null && !handle.isClosed()) {
            h.edge = handle.linkFromOwned(h.task, EdgeKind.HOLDS, false, Optional.empty());
          }
          continue;
        }
        if (h.edge != null) {
          h.edge.close();
          h.edge = null;
        }
        if (!runtime.hasEntity(h.task)) {
          holds.remove(h.task, h); // the task left: it never counts again
          if (last == h) {
            last = null;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The lazy hold of {@code task}, made on its first use. */
  private LazyHold lazyHold(EntityId task) {
    LazyHold h = last;
    if (h != null && h.task.equals(task)) {
      return h;
    }
    h = holds.get(task);
    if (h == null) {
      int gen = generation;
      h = holds.computeIfAbsent(task, t -> new LazyHold(t, gen));
    }
    last = h;
    return h;
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
    Contexts contexts = this.contexts;
    if (contexts == null) {
      return runtime.currentTask();
    }
    // The context of the thread that last used this resource: a thread that uses its own
    // resource again finds its task without a thread-local lookup (the one lookup a tracked
    // operation would otherwise make twice, acquiring and releasing).
    ThreadContext c = lastContext;
    if (c != null && c.threadId == ThreadFacts.threadId(Thread.currentThread())) {
      Optional<EntityId> known = Contexts.knownTask(c);
      if (known != null) {
        return known;
      }
    }
    try {
      c = contexts.current();
      lastContext = c;
      return contexts.currentTask(c);
    } catch (RuntimeException e) {
      return runtime.currentTask(); // counts the fault, answers empty
    }
  }

  /** The runtime's thread contexts; null when it records nothing. */
  private final @Nullable Contexts contexts;

  /** The context of the thread that last asked for its task here (racy, checked on use). */
  private @Nullable ThreadContext lastContext;

  /**
   * The tasks known to poll the resource (their edges exist while both ends do; a task's id is
   * never given out again), so tasks that take turns do not write the graph at each turn. Forgotten
   * past {@link #POLLERS_KEPT}: the edges of those that come back are written again, harmlessly.
   */
  private volatile java.util.@Nullable Set<EntityId> pollers;

  private static final int POLLERS_KEPT = 256;

  /** Ensures the current task {@code polls} the resource; returns the task. */
  public Optional<EntityId> polled() {
    Optional<EntityId> task = task();
    if (task.isEmpty()) {
      return task;
    }
    EntityId t = task.get();
    java.util.Set<EntityId> known = pollers;
    if (t == lastPoller || (known != null && known.contains(t)) || handle.isClosed()) {
      return task; // no write, not even to lastPoller: tasks taking turns share no cache line
    }
    EntityId first = lastPoller;
    if (first != null) {
      // A second poller: from now on they are remembered in a set (most resources, a latch per
      // request say, only ever have one, and never make it).
      if (known == null) {
        synchronized (this) {
          known = pollers;
          if (known == null) {
            known = java.util.concurrent.ConcurrentHashMap.newKeySet();
            known.add(first);
            pollers = known;
          }
        }
      }
      if (known.size() >= POLLERS_KEPT) {
        known.clear();
      }
      known.add(t);
    }
    handle.linkFrom(t, EdgeKind.POLLS);
    lastPoller = t;
    return task;
  }

  /** Adds {@code n} to what {@code task} holds. */
  public void add(Optional<EntityId> task, long n) {
    if (task.isEmpty() || n <= 0 || handle.isClosed()) {
      return;
    }
    if (lazy) {
      LazyHold h = lazyHold(task.get());
      int gen = generation;
      h.set(h.count(gen) + n, gen);
      return;
    }
    lock.lock();
    try {
      EagerHold h =
          eager.computeIfAbsent(
              task.get(),
              t ->
                  new EagerHold(
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
    if (lazy) {
      LazyHold h = holds.get(task.get());
      return h == null ? 0 : h.count(generation);
    }
    lock.lock();
    try {
      EagerHold h = eager.get(task.get());
      return h == null ? 0 : h.count;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every holder (their edges go): the resource is known to be held by nobody. */
  public void clear() {
    lock.lock();
    try {
      if (lazy) {
        generation++;
        for (LazyHold h : holds.values()) {
          if (h.edge != null) {
            h.edge.close();
            h.edge = null;
          }
        }
        return;
      }
      for (EagerHold h : eager.values()) {
        if (h.edge != null) {
          h.edge.close();
        }
      }
      eager.clear();
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
      LazyHold h = lazyHold(task.get());
      int gen = generation;
      long c = h.count(gen);
      long taken = Math.min(n, c);
      if (taken > 0) {
        h.set(c - taken, gen);
      }
      return taken;
    }
    lock.lock();
    try {
      EagerHold h = eager.get(task.get());
      if (h == null) {
        return 0;
      }
      long taken = Math.min(n, h.count);
      h.count -= taken;
      if (h.count == 0) {
        eager.remove(task.get());
        if (h.edge != null) {
          h.edge.close();
        }
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the total held, over every task (for lazy holders, as far as their counts are seen).
   */
  public long total() {
    if (lazy) {
      int gen = generation;
      long sum = 0;
      for (LazyHold h : holds.values()) {
        sum += h.count(gen);
      }
      return sum;
    }
    lock.lock();
    try {
      long sum = 0;
      for (EagerHold h : eager.values()) {
        sum += h.count;
      }
      return sum;
    } finally {
      lock.unlock();
    }
  }
}
