package dev.moire.runtime;

import dev.moire.model.EdgeKey;
import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EntityKind;
import dev.moire.model.EventBody;
import dev.moire.model.EventTarget;
import dev.moire.model.Source;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.internal.EntityCell;
import dev.moire.runtime.internal.Graph;
import dev.moire.runtime.internal.MoireThreads;
import dev.moire.runtime.internal.SourceCapture;
import java.lang.ref.Cleaner;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Owns one entity of the graph: while any clone of the handle is open, the entity is alive.
 *
 * <p>Each handle is closed once; {@link #clone()} gives another handle to the same entity, and the
 * entity leaves the graph when the last one is closed. A handle that becomes unreachable without
 * being closed is released by a {@link Cleaner}, which is how a forgotten sender "drops".
 *
 * <pre>{@code
 * try (EntityHandle<EntityBody.Latch> latch =
 *     runtime.createEntity("ready", new EntityBody.Latch(2))) {
 *   latch.mutate(b -> new EntityBody.Latch(b.count() - 1));
 * }
 * }</pre>
 *
 * @param <B> the kind of body this handle may set
 */
public final class EntityHandle<B extends EntityBody> implements AutoCloseable {
  private final EntityCell cell;

  /** Whether this handle is closed; a field, not an AtomicBoolean: made on hot paths. */
  private volatile boolean closed;

  private static final java.lang.invoke.VarHandle CLOSED;

  static {
    try {
      CLOSED =
          java.lang.invoke.MethodHandles.lookup()
              .findVarHandle(EntityHandle.class, "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Cleaner.Cleanable release;

  EntityHandle(EntityCell cell) {
    this.cell = cell;
    // A disabled runtime records nothing, so there is nothing for a Cleaner to release.
    this.release =
        cell.graph().enabled()
            ? MoireThreads.cleaner().register(this, new Release(cell))
            : new Release(cell)::run;
  }

  /** Returns the entity's id. */
  public EntityId id() {
    return cell.id();
  }

  /** Returns the entity's unique name. */
  public String name() {
    return cell.name();
  }

  EntityCell cell() {
    return cell;
  }

  /** Returns where the entity was created. */
  public Source source() {
    return cell.source();
  }

  /** Returns the entity's kind. */
  public EntityKind kind() {
    return cell.body().kind();
  }

  /** Returns the entity's current body. */
  @SuppressWarnings("unchecked") // a cell's body never changes kind: mutate refuses it
  public B body() {
    return (B) cell.body();
  }

  /** Returns whether this handle (not necessarily the entity) is closed. */
  public boolean isClosed() {
    return closed;
  }

  /** Returns whether the entity is still in the graph (always false when moire is disabled). */
  public boolean isAlive() {
    return !cell.isRemoved() && cell.graph().enabled() && cell.graph().hasEntity(cell.id());
  }

  /**
   * Replaces the body with {@code fn} applied to the current one, atomically with respect to other
   * mutations. Nothing is recorded when the result equals the current body: no change, no journal
   * entry. {@code fn} must be a pure function; under contention it may run more than once.
   *
   * @return whether a change was recorded
   * @throws IllegalStateException if this handle is closed
   */
  @SuppressWarnings("unchecked")
  public boolean mutate(UnaryOperator<B> fn) {
    Checks.notNull(fn, "mutate function");
    checkOpen();
    return cell.graph().mutate(cell, b -> fn.apply((B) b));
  }

  /**
   * Returns another open handle to the same entity.
   *
   * @throws IllegalStateException if this handle is closed
   */
  @Override
  public EntityHandle<B> clone() {
    checkOpen();
    cell.retain();
    return new EntityHandle<>(cell);
  }

  /** Returns a handle that updates this entity without keeping it alive. */
  public WeakEntityHandle<B> downgrade() {
    return new WeakEntityHandle<>(cell);
  }

  /**
   * Ensures the edge "this KIND dst", which then lasts until either end leaves the graph.
   *
   * @throws IllegalStateException if this handle is closed
   */
  public void linkTo(EntityId dst, EdgeKind kind) {
    Checks.notNull(dst, "edge dst");
    Checks.notNull(kind, "edge kind");
    checkOpen();
    cell.graph().upsertEdge(cell.id(), dst, kind, false, Optional.empty());
  }

  /**
   * Ensures the edge "src KIND this", such as a task's {@code polls} edge, which then lasts until
   * either end leaves the graph.
   *
   * @throws IllegalStateException if this handle is closed
   */
  public void linkFrom(EntityId src, EdgeKind kind) {
    Checks.notNull(src, "edge src");
    Checks.notNull(kind, "edge kind");
    checkOpen();
    cell.graph().upsertEdge(src, cell.id(), kind, false, Optional.empty());
  }

  /**
   * Adds the edge "src KIND this" and returns the handle that removes it, such as the {@code holds}
   * edge a lock guard owns.
   *
   * @param timed for {@code waiting_on}: whether the wait has a timeout
   * @param source where the operation was called, when captured
   * @throws IllegalStateException if this handle is closed
   * @throws IllegalArgumentException if {@code timed} is set on an edge other than {@code
   *     waiting_on}
   */
  public EdgeHandle linkFromOwned(
      EntityId src, EdgeKind kind, boolean timed, Optional<Source> source) {
    Checks.notNull(src, "edge src");
    Checks.notNull(kind, "edge kind");
    Checks.notNull(source, "edge source");
    if (timed && kind != EdgeKind.WAITING_ON) { // the message only on failure: a hot path
      throw new IllegalArgumentException(
          "only waiting_on edges can be timed: " + src + " " + kind + " " + cell.id());
    }
    checkOpen();
    cell.graph().upsertEdge(src, cell.id(), kind, timed, source);
    return new EdgeHandle(cell.graph(), new EdgeKey(src, cell.id(), kind));
  }

  /**
   * Links the entity to a scope.
   *
   * @throws IllegalStateException if this handle or the scope handle is closed
   */
  public void linkToScope(ScopeHandle scope) {
    Checks.notNull(scope, "scope");
    checkOpen();
    cell.graph().link(cell.id(), scope.id());
  }

  /**
   * Unlinks the entity from a scope.
   *
   * @throws IllegalStateException if this handle is closed
   */
  public void unlinkFromScope(ScopeHandle scope) {
    Checks.notNull(scope, "scope");
    checkOpen();
    cell.graph().unlink(cell.id(), scope.id());
  }

  /**
   * Records an event about this entity, with the caller's source.
   *
   * @throws IllegalStateException if this handle is closed
   */
  public void recordEvent(EventBody event) {
    recordEvent(event, SourceCapture.caller());
  }

  /**
   * Registers the bookkeeping this entity's primitive defers until someone looks at the graph (see
   * {@link Deferred}), replacing any registered before. The runtime holds {@code deferred} weakly,
   * so the primitive must keep it reachable; it is forgotten when the entity leaves the graph.
   * Nothing is registered when moire is disabled.
   *
   * @throws IllegalStateException if this handle is closed
   */
  public void deferUntilObserved(Deferred deferred) {
    Checks.notNull(deferred, "deferred");
    checkOpen();
    cell.graph().defer(cell.id(), deferred);
  }

  /**
   * Records an event about this entity, with the given source.
   *
   * @throws IllegalStateException if this handle is closed
   */
  public void recordEvent(EventBody event, Source source) {
    Checks.notNull(event, "event");
    Checks.notNull(source, "event source");
    checkOpen();
    Graph graph = cell.graph();
    if (graph.enabled()) {
      graph.appendEvent(EventTarget.of(cell.id()), source, event);
    }
  }

  /**
   * Whether the entity was created lazily and has not entered the graph yet: nobody has seen it, so
   * what would be recorded about it before it closes would leave no trace anyway.
   */
  public boolean isUnborn() {
    return cell.isUnborn();
  }

  /**
   * For an entity created lazily ({@link MoireRuntime#createEntityLazily}) that stopped mattering
   * before it entered the graph (a latch counted down to zero): it need not enter it when the graph
   * is next observed, and leaves no trace unless something waits on it. The handle stays open; an
   * entity already in the graph is unaffected.
   */
  public void forgoBirth() {
    cell.graph().forgoBirth(cell);
  }

  /**
   * Closes this handle; when it is the entity's last open handle, the entity leaves the graph
   * together with its edges and scope links.
   *
   * @throws IllegalStateException if this handle was closed already
   */
  @Override
  public void close() {
    if (!CLOSED.compareAndSet(this, false, true)) {
      throw new IllegalStateException("entity '" + cell.id() + "' is already closed");
    }
    release.clean();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("entity '" + cell.id() + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "EntityHandle[" + cell.id() + (closed ? ", closed]" : "]");
  }

  /** Releases one reference; holds no reference to the handle, so the handle can be collected. */
  private static final class Release implements Runnable {
    private final EntityCell cell;

    Release(EntityCell cell) {
      this.cell = cell;
    }

    @Override
    public void run() {
      try {
        cell.release();
      } catch (RuntimeException e) {
        cell.graph().fault(e);
      }
    }
  }
}
