package dev.moire.runtime.internal;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventTarget;
import dev.moire.model.Source;
import dev.moire.model.internal.GuardedBy;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What all clones of one entity's handle share: the id, the current body and the count of open
 * handles. When the count reaches zero the entity leaves the graph.
 */
public final class EntityCell {
  final Graph graph;
  final EntityId id;
  final String name;
  final Source source;

  /** Written only under the graph's lock, so the order of bodies matches the journal's. */
  @GuardedBy("graph.lock")
  volatile EntityBody body;

  /** Set once, under the graph's lock, when the entity leaves the graph. */
  @GuardedBy("graph.lock")
  volatile boolean removed;

  private final AtomicInteger refs = new AtomicInteger(1);

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

  /** Returns whether the entity has left the graph. */
  public boolean isRemoved() {
    return removed;
  }

  /** Counts one more open handle; the caller holds an open handle already. */
  public void retain() {
    refs.incrementAndGet();
  }

  /** Counts one handle fewer; the last one removes the entity from the graph. */
  public void release() {
    if (refs.decrementAndGet() == 0) {
      graph.removeEntity(this);
    }
  }

  /** Returns the number of open handles. */
  public int openHandles() {
    return refs.get();
  }
}
