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
 */
public final class Holders<B extends EntityBody> {
  private final MoireRuntime runtime;
  private final EntityHandle<B> handle;
  private final boolean sourcedHolds;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<EntityId, Hold> holds = new HashMap<>();

  /**
   * The last task known to poll the resource. Its polls edge exists for as long as both ends do,
   * and an ended task's id is never given out again, so a task equal to it needs no graph access.
   */
  private volatile @Nullable EntityId lastPoller;

  private static final class Hold {
    long count;
    final EdgeHandle edge;

    Hold(EdgeHandle edge) {
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
    this.runtime = runtime;
    this.handle = handle;
    this.sourcedHolds = sourcedHolds;
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

  /** Ensures the current task {@code polls} the resource; returns the task. */
  public Optional<EntityId> polled() {
    Optional<EntityId> task = runtime.currentTask();
    EntityId last = lastPoller;
    if (task.isPresent() && task.get() != last && !task.get().equals(last) && !handle.isClosed()) {
      handle.linkFrom(task.get(), EdgeKind.POLLS);
      lastPoller = task.get();
    }
    return task;
  }

  /** Adds {@code n} to what {@code task} holds. */
  public void add(Optional<EntityId> task, long n) {
    if (task.isEmpty() || n <= 0 || handle.isClosed()) {
      return;
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
        h.edge.close();
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
      if (h.count == 0) {
        holds.remove(task.get());
        h.edge.close();
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }
}
