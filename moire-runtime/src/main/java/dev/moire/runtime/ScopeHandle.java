package dev.moire.runtime;

import dev.moire.model.ScopeId;
import dev.moire.model.ScopeKind;
import dev.moire.runtime.internal.Graph;
import dev.moire.runtime.internal.MoireThreads;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Owns one scope: closing it (or dropping it, through a {@link Cleaner}) removes the scope and its
 * entity links. The entities themselves stay.
 */
public final class ScopeHandle implements AutoCloseable {
  private final ScopeId id;
  private final String name;
  private final ScopeKind kind;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  ScopeHandle(Graph graph, ScopeId id, String name, ScopeKind kind) {
    this.id = id;
    this.name = name;
    this.kind = kind;
    this.release = MoireThreads.cleaner().register(this, () -> graph.removeScope(id));
  }

  /** Returns the scope's id. */
  public ScopeId id() {
    return id;
  }

  /** Returns the name the scope was opened with. */
  public String name() {
    return name;
  }

  /** Returns what the scope groups. */
  public ScopeKind kind() {
    return kind;
  }

  /** Returns whether this handle is closed. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Removes the scope and its links.
   *
   * @throws IllegalStateException if this handle was closed already
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      throw new IllegalStateException("scope '" + id + "' is already closed");
    }
    release.clean();
  }

  @Override
  public String toString() {
    return "ScopeHandle[" + id + (closed.get() ? ", closed]" : "]");
  }
}
