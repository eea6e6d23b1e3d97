package dev.moire.runtime.internal;

import dev.moire.model.EntityId;
import dev.moire.model.ScopeId;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The causal context of one thread: the tracked tasks it is running (innermost last), the scopes it
 * is in, and the {@code thread} entity that stands for it outside any task.
 *
 * <p>The stacks are touched only by the owning thread; {@link #running} and {@link #threadEntity}
 * are volatile so snapshots taken on other threads read them.
 */
public final class ThreadContext {
  final WeakReference<Thread> thread;
  final long threadId;
  private final ArrayDeque<EntityId> tasks = new ArrayDeque<>();
  private final ArrayDeque<ScopeId> scopes;

  /** A copy of {@link #scopes} that other threads (the harness's watchdog) may read. */
  private volatile List<ScopeId> scopeView;

  /** The innermost task, or the thread entity; null until the thread touches moire. */
  volatile @Nullable EntityId running;

  /** The lazily created entity of this thread; null until needed, released when it ends. */
  volatile @Nullable EntityCell threadEntity;

  /**
   * What {@link Contexts#currentTask()} answers, kept with the task stack (and with {@link
   * #threadEntity}) so that asking, which every tracked operation does, allocates nothing; null
   * when it must be worked out. Touched only by the owning thread.
   */
  @Nullable Optional<EntityId> answer;

  /**
   * The process scope and then {@link #scopeView}, as {@link Contexts#currentScopes()} answers for
   * the view {@link #withProcessOf}: kept so that making an entity, which asks, allocates no list.
   * Touched only by the owning thread.
   */
  @Nullable List<ScopeId> withProcess;

  @Nullable List<ScopeId> withProcessOf;

  /** The thread's current tracked wait, shown when the graph is observed; null when none. */
  volatile @Nullable PendingWait waiting;

  ThreadContext(@Nullable Thread thread, List<ScopeId> inheritedScopes) {
    this.thread = new WeakReference<>(thread);
    this.threadId = thread == null ? -1 : ThreadFacts.threadId(thread);
    this.scopes = new ArrayDeque<>(inheritedScopes);
    this.scopeView = List.copyOf(inheritedScopes);
  }

  /** Returns a placeholder carrying scopes to a new thread, replaced on the thread's first use. */
  static ThreadContext inherited(List<ScopeId> scopes) {
    return new ThreadContext(null, scopes);
  }

  /** Returns the innermost tracked task, if any. */
  public @Nullable EntityId currentTask() {
    return tasks.peekLast();
  }

  /** Returns the scopes the thread is in, outermost first. */
  public List<ScopeId> scopes() {
    return new ArrayList<>(scopes);
  }

  /** Returns the scopes the thread is in; safe to call from any thread. */
  public List<ScopeId> scopesSeenFromOutside() {
    return scopeView;
  }

  /** Enters a task. */
  public void pushTask(EntityId task) {
    tasks.addLast(task);
    running = task;
    answer = Optional.of(task);
  }

  /**
   * Leaves a task, which must be the innermost.
   *
   * @throws IllegalStateException if {@code task} is not the innermost task
   */
  public void popTask(EntityId task) {
    if (!task.equals(tasks.peekLast())) {
      throw new IllegalStateException(
          "task '"
              + task
              + "' left out of order: the innermost task is '"
              + tasks.peekLast()
              + "'");
    }
    tasks.removeLast();
    EntityId outer = tasks.peekLast();
    EntityCell te = threadEntity;
    running = outer != null ? outer : te != null ? te.id() : null;
    answer = outer != null ? Optional.of(outer) : null;
  }

  /** The scope epoch (see {@link Graph#scopeEpoch}) at which the scopes were last checked. */
  long checkedEpoch = -1;

  /**
   * Drops every scope that has ended (its test is over): a thread that outlives a test, such as a
   * static pool's, must not carry the test's scope, abort or names into what it does next. Touched
   * only by the owning thread.
   */
  void dropEnded(Graph graph) {
    if (scopes.removeIf(graph::isRemovedScope)) {
      scopeView = List.copyOf(scopes);
    }
  }

  /** Enters a scope. */
  public void pushScope(ScopeId scope) {
    scopes.addLast(scope);
    scopeView = List.copyOf(scopes);
  }

  /**
   * Leaves a scope, which must be the innermost.
   *
   * @throws IllegalStateException if {@code scope} is not the innermost scope
   */
  public void popScope(ScopeId scope) {
    if (!scopes.contains(scope)) {
      return; // dropped already: it ended while the thread was in it
    }
    if (!scope.equals(scopes.peekLast())) {
      throw new IllegalStateException(
          "scope '"
              + scope
              + "' left out of order: the innermost scope is '"
              + scopes.peekLast()
              + "'");
    }
    scopes.removeLast();
    scopeView = List.copyOf(scopes);
  }
}
