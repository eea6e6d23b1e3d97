package dev.moire.runtime.internal;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityId;
import dev.moire.model.Source;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.EdgeHandle;
import dev.moire.runtime.EntityHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@code holds} edge of a resource that one task holds at a time (a mutex), written to the
 * graph only when someone needs to see it: when another task starts to wait for the resource, and
 * when the graph is observed ({@link Deferred}). Acquiring and releasing an uncontended lock then
 * cost one plain store and one compare-and-set, instead of two journaled graph changes.
 *
 * <p>Protocol. {@code held} is {@code null} (nobody), the holding task's {@link EntityId} (or a
 * {@link Sourced} when per-operation sources are on) while the edge is not in the graph, or a
 * {@link Shown} once it is. The holder sets it after acquiring and clears it before releasing, both
 * while it holds the resource, so holders never overlap. {@link #flush()} swaps a pending holder
 * for a {@code Shown} by compare-and-set and then adds the edge, all under {@code showing}; a
 * release that finds a {@code Shown} takes {@code showing} too (waiting at most for that one edge
 * to be added) and removes the edge before the resource is free. So the edge is never in the graph
 * after its holder released the resource, and two tasks never both hold it in the graph. {@code
 * showing} is a leaf lock: held only around one graph update.
 */
public final class ExclusiveHold implements Deferred {
  private static final VarHandle HELD;

  static {
    try {
      HELD = MethodHandles.lookup().findVarHandle(ExclusiveHold.class, "held", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final EntityHandle<?> resource;
  private final ReentrantLock showing = new ReentrantLock();

  @SuppressWarnings("unused") // through HELD
  private volatile @Nullable Object held;

  /** A pending holder with the source of its acquisition. */
  private record Sourced(EntityId task, Source source) {}

  /** A holder whose edge is in the graph (or was refused because an end had left it). */
  private record Shown(Object holder, @Nullable EdgeHandle edge) {}

  /** Creates the hold of {@code resource} and registers it to be flushed when the graph is seen. */
  public ExclusiveHold(EntityHandle<?> resource) {
    this.resource = resource;
    if (!resource.isClosed()) {
      resource.deferUntilObserved(this);
    }
  }

  /**
   * Records that {@code task} holds the resource now; called by the holder, holding the resource.
   */
  public void acquired(@Nullable EntityId task, Optional<Source> source) {
    if (task != null) {
      HELD.setRelease(this, source.isEmpty() ? task : new Sourced(task, source.get()));
    }
  }

  /**
   * Records that the resource is about to be free; called by the holder, before it releases. The
   * edge, if in the graph, is gone when this returns.
   */
  public void releasing() {
    Object h = HELD.getAcquire(this);
    if (h == null || (!(h instanceof Shown) && HELD.compareAndSet(this, h, null))) {
      return;
    }
    showing.lock();
    try {
      Object now = HELD.getAcquire(this);
      HELD.setRelease(this, null);
      if (now instanceof Shown shown && shown.edge() != null) {
        shown.edge().close();
      }
    } finally {
      showing.unlock();
    }
  }

  /** Writes the holder's edge to the graph, if a holder's is pending. */
  @Override
  public void flush() {
    Object h = HELD.getAcquire(this);
    if (h == null || h instanceof Shown) {
      return;
    }
    showing.lock();
    try {
      h = HELD.getAcquire(this);
      if (h == null || h instanceof Shown) {
        return;
      }
      Shown shown = new Shown(h, null);
      if (!HELD.compareAndSet(this, h, shown)) {
        return; // released (or released and taken again) meanwhile
      }
      EntityId task = h instanceof Sourced s ? s.task() : (EntityId) h;
      Optional<Source> source = h instanceof Sourced s ? Optional.of(s.source()) : Optional.empty();
      if (!resource.isClosed()) {
        try {
          HELD.setRelease(
              this, new Shown(h, resource.linkFromOwned(task, EdgeKind.HOLDS, false, source)));
        } catch (IllegalStateException closedMeanwhile) {
          // the resource left the graph, and its edges with it
        }
      }
    } finally {
      showing.unlock();
    }
  }
}
