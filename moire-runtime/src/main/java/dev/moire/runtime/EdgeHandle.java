package dev.moire.runtime;

import dev.moire.model.EdgeKey;
import dev.moire.runtime.internal.Graph;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Owns one edge, such as the {@code holds} edge of a lock guard or the {@code waiting_on} edge of a
 * blocked operation: closing it removes the edge. It refers to the entities by id only, so it keeps
 * neither alive; if an end has left the graph, the edge is gone already and closing does nothing
 * more.
 */
public final class EdgeHandle implements AutoCloseable {
  private final Graph graph;
  private final EdgeKey key;
  private final AtomicBoolean closed = new AtomicBoolean();

  EdgeHandle(Graph graph, EdgeKey key) {
    this.graph = graph;
    this.key = key;
  }

  /** Returns which edge this handle owns. */
  public EdgeKey key() {
    return key;
  }

  /** Returns whether this handle is closed. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Removes the edge.
   *
   * @throws IllegalStateException if this handle was closed already
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      throw new IllegalStateException("edge '" + key + "' is already closed");
    }
    graph.removeEdge(key);
  }

  @Override
  public String toString() {
    return "EdgeHandle[" + key + (closed.get() ? ", closed]" : "]");
  }
}
