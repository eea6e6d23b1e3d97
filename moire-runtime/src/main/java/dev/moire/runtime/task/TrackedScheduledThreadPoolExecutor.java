package dev.moire.runtime.task;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.AllocationSites;
import dev.moire.runtime.internal.SourceCapture;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScheduledThreadPoolExecutor} whose tasks are tracked: it is one (a field typed {@code
 * ScheduledThreadPoolExecutor}, {@code ScheduledExecutorService} or {@code ExecutorService} takes
 * it; delays, periods, policies, rejection and shutdown are the JDK's), so adopting it is one
 * constructor: {@code new ScheduledThreadPoolExecutor(2)} becomes {@code new
 * TrackedScheduledThreadPoolExecutor(2)}, named after its line, or with a name first.
 *
 * <p>Every task (scheduled, submitted or executed: the JDK sends them all through {@link
 * #decorateTask}) is a {@code future} entity from the moment it is scheduled, in the scheduling
 * thread's scopes, with a {@code task} scope of its own. While it runs the worker is in those
 * scopes and the task is its current task. A one-shot task leaves the graph when it has run; a
 * periodic one stays between its runs and leaves when it is cancelled, fails or the executor shuts
 * down. A task that will never run (cancelled, removed, returned by {@code shutdownNow()}) leaves
 * the graph at once. A caller in the {@code get()} of a future this executor returned is {@code
 * waiting_on} the task.
 *
 * <p>The queue holds the tracked tasks ({@link #decorateTask}'s documented use), so {@code
 * getQueue()} and {@code shutdownNow()} return them; they are {@link RunnableScheduledFuture}s
 * ordered as the JDK's (by time, then by scheduling order). A subclass that overrides {@code
 * decorateTask} must return what this class's returns, wrapped or not.
 */
// The constructors hand the rejection handler a reference to this pool's private method before a
// subclass's constructor has run; the method reads only fields set before that (javac 21+ warns).
@SuppressWarnings("this-escape")
public class TrackedScheduledThreadPoolExecutor extends ScheduledThreadPoolExecutor {
  private final MoireRuntime runtime;
  private final String name;

  /** The body of each task's entity: the same for all (made once, not per submission). */
  private final dev.moire.model.EntityBody.Future taskBody;

  private final Set<TaskRun> pending = ConcurrentHashMap.newKeySet();

  /**
   * The drop-in for {@code new ScheduledThreadPoolExecutor(corePoolSize)}, named after its line.
   */
  public TrackedScheduledThreadPoolExecutor(int corePoolSize) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        corePoolSize,
        Executors.defaultThreadFactory(),
        new AbortPolicy());
  }

  /** The drop-in for the constructor with a thread factory, named after its line. */
  public TrackedScheduledThreadPoolExecutor(int corePoolSize, ThreadFactory threadFactory) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        corePoolSize,
        threadFactory,
        new AbortPolicy());
  }

  /** The drop-in for the constructor with a rejection handler, named after its line. */
  public TrackedScheduledThreadPoolExecutor(int corePoolSize, RejectedExecutionHandler handler) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        corePoolSize,
        Executors.defaultThreadFactory(),
        handler);
  }

  /** The drop-in for the constructor with both, named after its line. */
  public TrackedScheduledThreadPoolExecutor(
      int corePoolSize, ThreadFactory threadFactory, RejectedExecutionHandler handler) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        corePoolSize,
        threadFactory,
        handler);
  }

  /**
   * Creates a named executor in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code corePoolSize} is negative
   */
  public TrackedScheduledThreadPoolExecutor(String name, int corePoolSize) {
    this(
        MoireRuntime.global(),
        name,
        corePoolSize,
        Executors.defaultThreadFactory(),
        new AbortPolicy());
  }

  /**
   * Creates an executor in {@code runtime} whose tasks are named after {@code name}, with the JDK
   * constructor's arguments and checks.
   *
   * @throws IllegalArgumentException if {@code name} is blank, or as the JDK's constructor
   */
  public TrackedScheduledThreadPoolExecutor(
      MoireRuntime runtime,
      String name,
      int corePoolSize,
      ThreadFactory threadFactory,
      RejectedExecutionHandler handler) {
    super(corePoolSize, threadFactory, Rejections.of(Checks.notNull(handler, "handler")));
    this.runtime = Checks.notNull(runtime, "runtime");
    this.name = Checks.notBlank(name, "executor name");
    this.taskBody = dev.moire.model.EntityBody.Future.of(this.name);
    Rejections.bind(super.getRejectedExecutionHandler(), this::rejected);
    // A pool makes no entity of its own: the source the agent gave its site goes unused, and must
    // not reach a later entity of the same name made on this thread.
    AllocationSites.takeSource(this.name);
  }

  /** The name its tasks are named after. */
  public String name() {
    return name;
  }

  @Override
  protected <V> RunnableScheduledFuture<V> decorateTask(
      Runnable runnable, RunnableScheduledFuture<V> task) {
    RunnableScheduledFuture<V> t = super.decorateTask(runnable, task);
    return runtime.isEnabled() ? new Scheduled<>(t) : t;
  }

  @Override
  protected <V> RunnableScheduledFuture<V> decorateTask(
      Callable<V> callable, RunnableScheduledFuture<V> task) {
    RunnableScheduledFuture<V> t = super.decorateTask(callable, task);
    return runtime.isEnabled() ? new Scheduled<>(t) : t;
  }

  /** As the JDK's: the handler given, which this executor calls around its own bookkeeping. */
  @Override
  public RejectedExecutionHandler getRejectedExecutionHandler() {
    return Rejections.unwrap(super.getRejectedExecutionHandler());
  }

  @Override
  public void setRejectedExecutionHandler(RejectedExecutionHandler handler) {
    super.setRejectedExecutionHandler(
        Rejections.bind(Rejections.of(Checks.notNull(handler, "handler")), this::rejected));
  }

  /** A rejected task leaves the graph unless the handler runs it (its own run begins it then). */
  private TaskRun.@org.jspecify.annotations.Nullable Running rejected(Runnable r) {
    return r instanceof Scheduled<?> s ? s.run::finishIfNotStarted : null;
  }

  /** As the JDK's; the tasks it returns will never run and leave the graph. */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> never = super.shutdownNow();
    never.forEach(this::dropped);
    return never;
  }

  @Override
  public boolean remove(Runnable task) {
    boolean removed = super.remove(task);
    if (removed) {
      dropped(task);
    }
    return removed;
  }

  private void dropped(Runnable task) {
    if (task instanceof Scheduled<?> s) {
      s.run.finish();
    }
  }

  /**
   * A scheduled task as the queue holds it: the JDK's task, tracked from its scheduling (on the
   * scheduling thread, where {@code decorateTask} runs), whose {@code get()} is a tracked wait.
   */
  private final class Scheduled<V> implements RunnableScheduledFuture<V> {
    final RunnableScheduledFuture<V> task;
    final TaskRun run;

    Scheduled(RunnableScheduledFuture<V> task) {
      this.task = task;
      this.run = new TaskRun(runtime, name, pending, taskBody);
    }

    @Override
    @SuppressWarnings("try") // the run is entered for its effect
    public void run() {
      if (task.isPeriodic()) {
        try (TaskRun.Running r = run.beginRound()) {
          task.run();
        } finally {
          if (task.isDone()) {
            run.finish(); // cancelled, failed, or shut down: no next run
          }
        }
      } else if (task.isDone()) {
        run.finish();
        task.run();
      } else {
        try (TaskRun.Running r = run.begin()) {
          task.run();
        }
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = task.cancel(mayInterruptIfRunning);
      if (cancelled) {
        if (task.isPeriodic()) {
          run.finish();
        } else {
          run.finishIfNotStarted();
        }
        // The JDK's task removes itself only when the queue holds it, not its decoration.
        if (getRemoveOnCancelPolicy()) {
          remove(this);
        }
      }
      return cancelled;
    }

    @Override
    public boolean isPeriodic() {
      return task.isPeriodic();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return task.getDelay(unit);
    }

    /** Ordered as the JDK's tasks: by time, then by the order they were scheduled in. */
    @Override
    public int compareTo(Delayed other) {
      return task.compareTo(other instanceof Scheduled<?> s ? s.task : other);
    }

    @Override
    public boolean isCancelled() {
      return task.isCancelled();
    }

    @Override
    public boolean isDone() {
      return task.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      return task.isDone() ? task.get() : run.awaitResult(false, task::get);
    }

    @Override
    public V get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return task.isDone()
          ? task.get(timeout, unit)
          : run.awaitResult(true, () -> task.get(timeout, unit));
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }
}
