package dev.moire.runtime.task;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Wraps any {@link ExecutorService} so that each task is tracked: a {@code future} entity with a
 * {@code task} scope of its own, created in the submitter's scopes (so a test's tasks belong to the
 * test), and the current task of the worker thread while it runs.
 *
 * <pre>{@code
 * ExecutorService workers =
 *     new TrackedExecutorService("workers", Executors.newFixedThreadPool(4));
 * }</pre>
 *
 * <p>Shutdown, termination and rejection are the wrapped executor's. A caller blocked in a returned
 * future's {@code get()} is {@code waiting_on} the task.
 */
public final class TrackedExecutorService implements ExecutorService, AutoCloseable {
  private final MoireRuntime runtime;
  private final String name;

  /** The body of each task's entity: the same for all (made once, not per submission). */
  private final dev.moire.model.EntityBody.Future taskBody;

  private final ExecutorService inner;
  private final Set<TaskRun> pending = ConcurrentHashMap.newKeySet();

  /**
   * Wraps {@code inner} in the global runtime; tasks are named after {@code name}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedExecutorService(String name, ExecutorService inner) {
    this(MoireRuntime.global(), name, inner);
  }

  /**
   * Wraps {@code inner} in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedExecutorService(MoireRuntime runtime, String name, ExecutorService inner) {
    this.runtime = Checks.notNull(runtime, "runtime");
    this.name = Checks.notBlank(name, "executor name");
    this.taskBody = dev.moire.model.EntityBody.Future.of(this.name);
    this.inner = Checks.notNull(inner, "executor");
  }

  private <T> Callable<T> track(Callable<T> task, TaskRun[] run) {
    TaskRun r = new TaskRun(runtime, name, pending, taskBody);
    run[0] = r;
    return () -> r.run(task::call);
  }

  @Override
  public <T> TrackedFuture<T> submit(Callable<T> task) {
    Checks.notNull(task, "task");
    TaskRun[] run = new TaskRun[1];
    Callable<T> tracked = track(task, run);
    try {
      TaskRun r = run[0];
      return new TrackedFuture<>(runtime, r.id(), inner.submit(tracked), r::finishIfNotStarted);
    } catch (RejectedExecutionException e) {
      run[0].finish();
      throw e;
    }
  }

  @Override
  public <T> TrackedFuture<T> submit(Runnable task, T result) {
    Checks.notNull(task, "task");
    return submit(
        () -> {
          task.run();
          return result;
        });
  }

  @Override
  public TrackedFuture<?> submit(Runnable task) {
    return submit(task, null);
  }

  @Override
  public void execute(Runnable command) {
    Checks.notNull(command, "command");
    TaskRun run = new TaskRun(runtime, name, pending, taskBody);
    try {
      inner.execute(
          () -> {
            try {
              run.run(
                  () -> {
                    command.run();
                    return null;
                  });
            } catch (RuntimeException | Error e) {
              throw e;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    } catch (RejectedExecutionException e) {
      run.finish();
      throw e;
    }
  }

  private <T> List<Callable<T>> trackAll(
      Collection<? extends Callable<T>> tasks, List<TaskRun> runs) {
    List<Callable<T>> out = new ArrayList<>(tasks.size());
    for (Callable<T> t : tasks) {
      Checks.notNull(t, "task");
      TaskRun[] run = new TaskRun[1];
      out.add(track(t, run));
      runs.add(run[0]);
    }
    return out;
  }

  /**
   * Runs every task and waits for all, as {@code AbstractExecutorService.invokeAll} does; the
   * caller's waits are tracked ({@code waiting_on} each unfinished task) and abortable.
   */
  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    Checks.notNull(tasks, "tasks");
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    boolean done = false;
    try {
      for (Callable<T> t : tasks) {
        futures.add(submit(Checks.notNull(t, "task")));
      }
      for (Future<T> f : futures) {
        if (!f.isDone()) {
          try {
            f.get();
          } catch (CancellationException | ExecutionException ignored) {
            // the caller reads each outcome from its future
          }
        }
      }
      done = true;
      return futures;
    } finally {
      if (!done) {
        futures.forEach(f -> f.cancel(true));
      }
    }
  }

  /**
   * Runs every task that fits and waits for all, at most {@code timeout}, as {@code
   * AbstractExecutorService.invokeAll} does: the deadline is checked before each task is handed to
   * the executor (none is with a timeout ≤ 0), the tasks not handed over by then never run and
   * their futures are cancelled, and tasks not done by the deadline are cancelled. The caller's
   * waits are tracked (timed) and abortable.
   */
  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    Checks.notNull(tasks, "tasks");
    Checks.notNull(unit, "unit");
    long nanos = unit.toNanos(timeout);
    long deadline = System.nanoTime() + nanos;
    List<Callable<T>> all = new ArrayList<>(tasks.size());
    for (Callable<T> t : tasks) {
      all.add(Checks.notNull(t, "task"));
    }
    List<Future<T>> futures = new ArrayList<>(all.size());
    boolean done = false;
    try {
      for (Callable<T> t : all) {
        if ((futures.isEmpty() ? nanos : deadline - System.nanoTime()) <= 0) {
          break;
        }
        futures.add(submit(t));
      }
      if (futures.size() < all.size()) {
        // Out of time before every task was handed over: the rest never run.
        for (Callable<T> t : all.subList(futures.size(), all.size())) {
          FutureTask<T> never = new FutureTask<>(t);
          never.cancel(false);
          futures.add(never);
        }
        return futures; // the finally block cancels what is not done
      }
      for (Future<T> f : futures) {
        if (!f.isDone()) {
          try {
            f.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          } catch (CancellationException | ExecutionException ignored) {
            // the caller reads each outcome from its future
          } catch (TimeoutException timedOut) {
            return futures; // the finally block cancels what is not done
          }
        }
      }
      done = true;
      return futures;
    } finally {
      if (!done) {
        futures.forEach(f -> f.cancel(true));
      }
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    List<TaskRun> runs = new ArrayList<>();
    try {
      return inner.invokeAny(trackAll(tasks, runs));
    } finally {
      runs.forEach(TaskRun::finish);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<TaskRun> runs = new ArrayList<>();
    try {
      return inner.invokeAny(trackAll(tasks, runs), timeout, unit);
    } finally {
      runs.forEach(TaskRun::finish);
    }
  }

  @Override
  public void shutdown() {
    inner.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> neverRun = inner.shutdownNow();
    for (TaskRun run : List.copyOf(pending)) {
      run.finishIfNotStarted();
    }
    return neverRun;
  }

  @Override
  public boolean isShutdown() {
    return inner.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return inner.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return inner.awaitTermination(timeout, unit);
  }

  /**
   * Shuts down and waits for the tasks to finish, as {@code ExecutorService.close()} does on JDK
   * 19+: if interrupted while waiting, cancels the tasks and keeps the interrupt status.
   */
  @Override
  public void close() {
    boolean terminated = isTerminated();
    if (!terminated) {
      shutdown();
      boolean interrupted = false;
      while (!terminated) {
        try {
          terminated = awaitTermination(Duration.ofDays(1).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          if (!interrupted) {
            shutdownNow();
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "TrackedExecutorService[" + name + ", " + inner + "]";
  }
}
