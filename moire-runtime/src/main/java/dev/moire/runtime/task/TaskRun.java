package dev.moire.runtime.task;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.ScopeId;
import dev.moire.model.Source;
import dev.moire.runtime.ContextToken;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.ScopeHandle;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.OperationSites;
import dev.moire.runtime.internal.SourceCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One tracked task: a {@code future} entity created when the task is submitted (in the submitter's
 * scopes), with a {@code task} scope of its own, both lazily: they enter the graph when it is
 * observed or the task waits or is waited on (see {@link MoireRuntime#createEntityLazily}). While
 * it runs, the worker thread is in the submitter's scopes and the task's scope, and the task is its
 * current task; when it ends, the entity and the scope leave the graph.
 */
final class TaskRun {
  private final MoireRuntime runtime;
  private final EntityHandle<EntityBody.Future> future;
  private final ScopeHandle scope;
  private final List<ScopeId> submitterScopes;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final Set<TaskRun> pending;

  /** The body of a task not submitted to an executor (immutable: one for all). */
  private static final EntityBody.Future PLAIN = new EntityBody.Future();

  TaskRun(MoireRuntime runtime, String name, Set<TaskRun> pending) {
    this(runtime, name, pending, PLAIN);
  }

  /**
   * A task named {@code name} whose entity has {@code body}: one naming the executor it was
   * submitted to, whose threads it may wait behind (the graph then shows it queued until a thread
   * runs it), made once per executor.
   */
  TaskRun(MoireRuntime runtime, String name, Set<TaskRun> pending, EntityBody.Future body) {
    this.runtime = runtime;
    this.pending = pending;
    this.submitterScopes = runtime.currentScopes();
    // Lazily (issue 18): a task that runs and ends between two looks at the graph never takes the
    // graph's lock; one that waits, is waited on or is seen enters the graph then.
    this.future = runtime.createEntityLazily(name, body, submittedAt(runtime));
    this.scope = runtime.openTaskScope(future);
    future.linkToScope(scope);
    pending.add(this);
  }

  /**
   * Where the task was submitted: the line code rewritten by moire-agent said just before the call,
   * else the first frame of the user's (a stack walk).
   */
  private static Source submittedAt(MoireRuntime runtime) {
    if (!runtime.isEnabled()) {
      return Source.UNKNOWN;
    }
    Source said = OperationSites.take(OperationSites.SUBMIT);
    return said != null ? said : SourceCapture.caller();
  }

  EntityId id() {
    return future.id();
  }

  /** Runs {@code body} as this task, on the calling (worker) thread. */
  @SuppressWarnings("try") // the run is entered for its effect
  <T> T run(Body<T> body) throws Exception {
    try (Running running = begin()) {
      return body.call();
    }
  }

  /**
   * Begins running this task on the calling (worker) thread: the thread enters the submitter's
   * scopes and the task's, and the task is its current task, until the returned handle is closed
   * (which finishes the task). For executors whose hooks bracket a task ({@code beforeExecute},
   * {@code afterExecute}) rather than wrap it.
   */
  Running begin() {
    return begin(true);
  }

  /**
   * Begins one run of a periodic task, which stays in the graph between runs: as {@link #begin()},
   * but closing the handle leaves the task pending; {@link #finish()} it when it will not run
   * again.
   */
  Running beginRound() {
    return begin(false);
  }

  private Running begin(boolean last) {
    started.set(true);
    if (finished.get()) {
      return () -> {}; // dropped from the graph already (cancelled); still run as asked
    }
    List<ScopeId> scopes = new ArrayList<>(submitterScopes);
    scopes.add(scope.id());
    ContextToken inScopes = runtime.enterScopes(scopes);
    ContextToken inTask = runtime.enterTask(future);
    return () -> {
      try {
        inTask.close();
        inScopes.close();
      } finally {
        if (last) {
          finish();
        }
      }
    };
  }

  /** A task running on the current thread; closing it ends the run. */
  interface Running extends AutoCloseable {
    @Override
    void close();
  }

  /** Removes the task from the graph, once: after it ran, or when it will never run. */
  void finish() {
    if (finished.compareAndSet(false, true)) {
      pending.remove(this);
      future.close();
      scope.close();
    }
  }

  /** Finishes the task if it never started, as after {@code shutdownNow()}. */
  void finishIfNotStarted() {
    if (!started.get()) {
      finish();
    }
  }

  /**
   * Waits for the task's result through {@code get}, as a tracked wait on the task when it is not
   * done yet (an untimed one unless {@code timed}).
   */
  <T, X extends Exception> T awaitResult(boolean timed, Get<T, X> get)
      throws InterruptedException, ExecutionException, X {
    try (WaitToken wait = runtime.beginWait(future.id(), timed)) {
      try {
        return get.get();
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
    }
  }

  /** A future's {@code get}, timed (throwing {@code TimeoutException}) or not. */
  interface Get<T, X extends Exception> {
    T get() throws InterruptedException, ExecutionException, X;
  }

  /** A task body. */
  interface Body<T> {
    T call() throws Exception;
  }
}
