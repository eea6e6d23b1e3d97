package dev.moire.runtime.internal;

import dev.moire.model.Edge;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.EventTarget;
import dev.moire.model.PTime;
import dev.moire.model.ScopeId;
import dev.moire.model.Source;
import dev.moire.model.internal.GuardedBy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What all clones of one entity's handle share: the id, the current body and the count of open
 * handles. When the count reaches zero the entity leaves the graph.
 */
public final class EntityCell {
  final Graph graph;
  final EntityId id;

  /** The name shown: unique in the JVM at creation, unique in its test from its birth on. */
  volatile String name;

  final Source source;

  /**
   * Non-null while the entity is unborn (created lazily, not yet in the graph): what its birth
   * writes. Guarded by this cell's monitor.
   */
  @Nullable Unborn unborn;

  /** What an unborn entity's birth writes besides the entity itself. */
  static final class Unborn {
    final String family;
    final String requested;

    /** Immutable; replaced (under this cell's monitor) when a scope link changes. */
    List<ScopeId> scopes;

    /** What the primitive deferred (held weakly), registered with the graph at birth. */
    java.lang.ref.@Nullable WeakReference<dev.moire.runtime.Deferred> deferred;

    /** Made on first use: most unborn entities are closed with neither. */
    @Nullable List<Edge> edges;

    @Nullable List<PendingEvent> events;

    List<Edge> edges() {
      if (edges == null) {
        edges = new ArrayList<>(2);
      }
      return edges;
    }

    List<PendingEvent> events() {
      if (events == null) {
        events = new ArrayList<>(2);
      }
      return events;
    }

    /** The other end of a lazily created pair, born with it; the first end holds it. */
    @Nullable EntityCell pairedWith;

    /** The first end of a lazily created pair, which a birth of the second end starts from. */
    @Nullable EntityCell pairOf;

    Unborn(String family, String requested, Collection<ScopeId> scopes) {
      this.family = family;
      this.requested = requested;
      this.scopes = List.copyOf(scopes); // no copy of the immutable list new entities are given
    }
  }

  /** An event about an unborn entity, written at its birth. */
  record PendingEvent(PTime at, Source source, EventBody body) {}

  /** Written only under the graph's lock, so the order of bodies matches the journal's. */
  @GuardedBy("graph.lock")
  volatile EntityBody body;

  /** Set once, under the graph's lock, when the entity leaves the graph. */
  @GuardedBy("graph.lock")
  volatile boolean removed;

  /** Open handles; a field rather than an AtomicInteger: a cell per future is made on hot paths. */
  @SuppressWarnings("unused") // through REFS
  private volatile int refs = 1;

  private static final java.lang.invoke.VarHandle REFS;

  static {
    try {
      REFS =
          java.lang.invoke.MethodHandles.lookup()
              .findVarHandle(EntityCell.class, "refs", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The target of events about this entity, made on the first. */
  @GuardedBy("graph.lock")
  @Nullable EventTarget eventTarget;

  EntityCell(Graph graph, EntityId id, String name, EntityBody body, Source source) {
    this.graph = graph;
    this.id = id;
    this.name = name;
    this.source = source;
    this.body = body;
  }

  /** Returns the entity's id. */
  public EntityId id() {
    return id;
  }

  /** Returns the entity's unique name. */
  public String name() {
    return name;
  }

  /** Returns where the entity was created. */
  public Source source() {
    return source;
  }

  /** Returns the entity's current body. */
  public EntityBody body() {
    return body;
  }

  /** Returns the graph the entity lives in. */
  public Graph graph() {
    return graph;
  }

  /** Returns whether the entity is created lazily and not in the graph yet. */
  public synchronized boolean isUnborn() {
    return unborn != null;
  }

  /** Returns whether the entity has left the graph. */
  public boolean isRemoved() {
    return removed;
  }

  /** Counts one more open handle; the caller holds an open handle already. */
  public void retain() {
    REFS.getAndAdd(this, 1);
  }

  /** Counts one handle fewer; the last one removes the entity from the graph. */
  public void release() {
    if ((int) REFS.getAndAdd(this, -1) == 1) {
      graph.removeEntity(this);
    }
  }

  /** Returns the number of open handles. */
  public int openHandles() {
    return refs;
  }
}
