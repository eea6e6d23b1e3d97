package dev.moire.runtime.sync;

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

/**
 * Counts what each task holds of one resource (lock holds, permits, an initialisation) and keeps a
 * {@code holds} edge from every task whose count is above zero. Its own small lock guards the
 * counts; it is never held while blocking.
 */
final class Holders<B extends EntityBody> {
  final MoireRuntime runtime;
  final EntityHandle<B> handle;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<EntityId, Hold> holds = new HashMap<>();

  private static final class Hold {
    long count;
    final EdgeHandle edge;

    Hold(EdgeHandle edge) {
      this.edge = edge;
    }
  }

  Holders(MoireRuntime runtime, EntityHandle<B> handle) {
    this.runtime = runtime;
    this.handle = handle;
  }

  /** Returns the current task, which operations attribute their holds and waits to. */
  Optional<EntityId> task() {
    return runtime.currentTask();
  }

  /** Ensures the current task {@code polls} the resource. */
  void polled() {
    runtime.currentTask().ifPresent(t -> handle.linkFrom(t, EdgeKind.POLLS));
  }

  /** Adds {@code n} to what {@code task} holds. */
  void add(Optional<EntityId> task, long n) {
    if (task.isEmpty() || n <= 0) {
      return;
    }
    lock.lock();
    try {
      Hold h =
          holds.computeIfAbsent(
              task.get(),
              t ->
                  new Hold(
                      handle.linkFromOwned(t, EdgeKind.HOLDS, false, runtime.operationSource())));
      h.count += n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code n} from what {@code task} holds; its edge goes at zero. Returns how much was
   * taken (less than {@code n} when the task held less).
   */
  long remove(Optional<EntityId> task, long n) {
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

  /** Returns how much {@code task} holds. */
  long heldBy(Optional<EntityId> task) {
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
}
