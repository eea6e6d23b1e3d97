package dev.moire.runtime.task;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.AllocationSites;
import dev.moire.runtime.internal.SourceCapture;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ThreadPoolExecutor} whose tasks are tracked: it is one (a field typed {@code
 * ThreadPoolExecutor} or {@code ExecutorService} takes it; pool sizes, queue, rejection, shutdown
 * and the hooks are the JDK's), so adopting it is one constructor: {@code new
 * ThreadPoolExecutor(...)} becomes {@code new TrackedThreadPoolExecutor(...)} with the same
 * arguments (named after its line), or with a name first.
 *
 * <p>Each task is a {@code future} entity created when it is submitted, in the submitter's scopes
 * (so a test's tasks belong to the test), with a {@code task} scope of its own; while it runs, the
 * worker thread is in those scopes and the task is its current task; when it ends, or will never
 * run ({@code shutdownNow}, {@code remove}, cancelled before it started), it leaves the graph. A
 * caller blocked in the {@code get()} of a future this executor returned is {@code waiting_on} the
 * task. Tasks are tracked through the executor's own hooks: {@link #newTaskFor} for submitted ones,
 * {@link #beforeExecute}/{@link #afterExecute} for a {@code Runnable} given to {@link #execute},
 * which stays the object the queue and {@code shutdownNow()} hold. A subclass that overrides the
 * hooks must call these.
 */
// The constructors hand the rejection handler a reference to this pool's private method before a
// subclass's constructor has run; the method reads only fields set before that (javac 21+ warns).
@SuppressWarnings("this-escape")
public class TrackedThreadPoolExecutor extends ThreadPoolExecutor {
  private final MoireRuntime runtime;
  private final String name;

  /** The body of each task's entity: the same for all (made once, not per submission). */
  private final dev.moire.model.EntityBody.Future taskBody;

  private final Set<TaskRun> pending = ConcurrentHashMap.newKeySet();

  /** Plain runnables given to {@link #execute}, with their tracked runs until a worker starts. */
  private final Map<Runnable, TaskRun> queued =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** The runs in progress on each worker thread, between the hooks. */
  private final ThreadLocal<ArrayDeque<TaskRun.Running>> running =
      ThreadLocal.withInitial(ArrayDeque::new);

  /**
   * The drop-in for {@code new ThreadPoolExecutor(core, max, keepAlive, unit, queue)}, named after
   * its line, in the global runtime.
   */
  public TrackedThreadPoolExecutor(
      int corePoolSize,
      int maximumPoolSize,
      long keepAliveTime,
      TimeUnit unit,
      BlockingQueue<Runnable> workQueue) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        corePoolSize,
        maximumPoolSize,
        keepAliveTime,
        unit,
        workQueue,
        Executors.defaultThreadFactory(),
        new AbortPolicy());
  }

  /** The drop-in for the constructor with a thread factory, named after its line. */
  public TrackedThreadPoolExecutor(
      int corePoolSize,
      int maximumPoolSize,
      long keepAliveTime,
      TimeUnit unit,
      BlockingQueue<Runnable> workQueue,
      ThreadFactory threadFactory) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        corePoolSize,
        maximumPoolSize,
        keepAliveTime,
        unit,
        workQueue,
        threadFactory,
        new AbortPolicy());
  }

  /** The drop-in for the constructor with a rejection handler, named after its line. */
  public TrackedThreadPoolExecutor(
      int corePoolSize,
      int maximumPoolSize,
      long keepAliveTime,
      TimeUnit unit,
      BlockingQueue<Runnable> workQueue,
      RejectedExecutionHandler handler) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        corePoolSize,
        maximumPoolSize,
        keepAliveTime,
        unit,
        workQueue,
        Executors.defaultThreadFactory(),
        handler);
  }

  /** The drop-in for the constructor with both, named after its line. */
  public TrackedThreadPoolExecutor(
      int corePoolSize,
      int maximumPoolSize,
      long keepAliveTime,
      TimeUnit unit,
      BlockingQueue<Runnable> workQueue,
      ThreadFactory threadFactory,
      RejectedExecutionHandler handler) {
    this(
        MoireRuntime.global(),
        SourceCapture.callerName(MoireRuntime.global()),
        corePoolSize,
        maximumPoolSize,
        keepAliveTime,
        unit,
        workQueue,
        threadFactory,
        handler);
  }

  /**
   * Creates a pool in {@code runtime} whose tasks are named after {@code name}, with the JDK
   * constructor's arguments and checks.
   *
   * @throws IllegalArgumentException if {@code name} is blank, or as the JDK's constructor
   */
  public TrackedThreadPoolExecutor(
      MoireRuntime runtime,
      String name,
      int corePoolSize,
      int maximumPoolSize,
      long keepAliveTime,
      TimeUnit unit,
      BlockingQueue<Runnable> workQueue,
      ThreadFactory threadFactory,
      RejectedExecutionHandler handler) {
    super(
        corePoolSize,
        maximumPoolSize,
        keepAliveTime,
        unit,
        workQueue,
        threadFactory,
        Rejections.of(Checks.notNull(handler, "handler")));
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
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    return runtime.isEnabled() ? new Task<>(callable) : super.newTaskFor(callable);
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, @Nullable T value) {
    return runtime.isEnabled()
        ? new Task<>(Executors.callable(runnable, value))
        : super.newTaskFor(runnable, value);
  }

  @Override
  public void execute(Runnable command) {
    Checks.notNull(command, "command");
    if (!runtime.isEnabled() || command instanceof Task<?>) {
      super.execute(command); // a submitted task tracks itself
      return;
    }
    TaskRun run = new TaskRun(runtime, name, pending, taskBody);
    queued.put(command, run);
    try {
      super.execute(command);
    } catch (RuntimeException | Error e) {
      queued.remove(command);
      run.finish();
      throw e;
    }
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

  /**
   * A rejected task will not start on a worker: a plain {@code Runnable}'s run begins here (on the
   * caller, in case the handler runs it there), a submitted task's stays as it is (its own {@code
   * run()} begins it) and leaves the graph if it never started.
   */
  private TaskRun.@Nullable Running rejected(Runnable r) {
    if (r instanceof Task<?> task) {
      return task.run::finishIfNotStarted;
    }
    TaskRun run = queued.remove(r);
    return run == null ? null : run.begin();
  }

  @Override
  protected void beforeExecute(Thread t, Runnable r) {
    super.beforeExecute(t, r);
    TaskRun run = queued.remove(r);
    if (run != null) {
      running.get().push(run.begin());
    }
  }

  @Override
  protected void afterExecute(Runnable r, @Nullable Throwable t) {
    try {
      super.afterExecute(r, t);
    } finally {
      if (!(r instanceof Task<?>) && !running.get().isEmpty()) {
        running.get().pop().close();
      }
    }
  }

  /** As the JDK's; the tasks it returns never ran and leave the graph. */
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

  /** A task that will never run leaves the graph. */
  private void dropped(Runnable task) {
    if (task instanceof Task<?> tracked) {
      tracked.run.finishIfNotStarted();
    } else {
      TaskRun run = queued.remove(task);
      if (run != null) {
        run.finish();
      }
    }
  }

  /**
   * A submitted task: a {@code FutureTask} that is tracked from its creation (on the submitting
   * thread), runs as its {@code future} entity, and whose {@code get()} is a tracked wait.
   */
  private final class Task<T> extends FutureTask<T> {
    final TaskRun run;

    Task(Callable<T> callable) {
      super(callable);
      this.run = new TaskRun(runtime, name, pending, taskBody);
    }

    @Override
    @SuppressWarnings("try") // the run is entered for its effect
    public void run() {
      if (isDone()) {
        run.finish();
        super.run();
        return;
      }
      try (TaskRun.Running r = run.begin()) {
        super.run();
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        run.finishIfNotStarted();
      }
      return cancelled;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      return isDone() ? super.get() : run.awaitResult(false, super::get);
    }

    @Override
    public T get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return isDone()
          ? super.get(timeout, unit)
          : run.awaitResult(true, () -> super.get(timeout, unit));
    }
  }
}
