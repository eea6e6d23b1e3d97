package dev.moire.runtime.internal;

import dev.moire.model.EdgeKey;
import dev.moire.model.EdgeKind;
import dev.moire.model.EntityId;
import dev.moire.model.Source;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One tracked blocking wait of a task, recorded lazily (issue 18): beginning and ending a wait
 * writes only the waiting thread's own context; its {@code polls} and {@code waiting_on} edges
 * reach the graph when the graph is observed while the wait lasts ({@link Contexts#showWaits}). A
 * wait that ends between two looks never reaches the journal: no snapshot could have shown it.
 *
 * <p>Protocol: {@link #show} and {@link #end} run under this object's monitor, so an edge is never
 * written after its wait ended, and one written is removed before {@link #end} returns. Where the
 * thread waits is read from its stack when the wait is first shown: a wait nobody sees walks no
 * stack. Inside a test (a thread in a test's scope) it is read on the waiting thread as the wait
 * begins instead, a short walk on a path about to block: only there can a wait made through a
 * method reference be placed at the line that made the reference on JDK 21+, whose stack traces of
 * other threads hide the reference's frame.
 */
public final class PendingWait {
  final EntityId task;
  final EntityId resource;
  final boolean timed;

  /** The waiting thread, whose stack says where it waits when the wait is shown. */
  private final Thread thread;

  /**
   * Where the thread waits, when it was read from its own stack as the wait began (in a test: see
   * the class); null when it is read from the thread's stack when the wait is shown.
   */
  private final @Nullable Source source;

  /** The wait this one is nested in on the same thread (rare), shown with it; null if none. */
  final @Nullable PendingWait outer;

  /** The waiting_on edge once written; null before. */
  private @Nullable EdgeKey edge;

  /** The graph the edge was written to. */
  private @Nullable Graph graph;

  private boolean ended;

  PendingWait(
      EntityId task,
      EntityId resource,
      boolean timed,
      Thread thread,
      @Nullable Source source,
      @Nullable PendingWait outer) {
    this.task = task;
    this.resource = resource;
    this.timed = timed;
    this.thread = thread;
    this.source = source;
    this.outer = outer;
  }

  /** Writes the wait's edges, once, unless it ended; called by an observer. */
  synchronized void show(Graph graph) {
    if (ended || edge != null) {
      return;
    }
    graph.upsertEdge(task, resource, EdgeKind.POLLS, false, Optional.empty());
    // Read from its stack now when it was not as it began (the wait holds this monitor's partner,
    // end(), off until the edge is written, and the stack is the wait's own).
    Source source = this.source != null ? this.source : SourceCapture.callerIn(thread);
    if (graph.upsertEdge(task, resource, EdgeKind.WAITING_ON, timed, Optional.of(source))) {
      this.graph = graph;
      edge = new EdgeKey(task, resource, EdgeKind.WAITING_ON);
    }
  }

  /** Ends the wait: its edge, if written, is gone when this returns. */
  synchronized void end() {
    ended = true;
    Graph g = graph;
    if (edge != null && g != null) {
      g.removeEdge(edge);
      edge = null;
    }
  }
}
