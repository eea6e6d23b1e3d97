package dev.moire.runtime.task;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A set of tracked tasks whose results are taken in the order they finish, as tokio's {@code
 * JoinSet}: {@link #spawn} runs a task on the executor, {@link #joinNext()} waits for the next one
 * to finish. The set is a {@code future} entity; a caller blocked in {@code joinNext()} is {@code
 * waiting_on} it, and every spawned task is its own {@code future} entity.
 *
 * @param <T> the result type
 */
public final class JoinSet<T> implements AutoCloseable {
  private final MoireRuntime runtime;
  private final TrackedExecutorService executor;
  private final EntityHandle<EntityBody.Future> handle;
  private final LinkedBlockingQueue<Future<T>> finished = new LinkedBlockingQueue<>();
  private final AtomicInteger outstanding = new AtomicInteger();

  /**
   * Creates a join set in the global runtime whose tasks run on {@code executor}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public JoinSet(String name, ExecutorService executor) {
    this(MoireRuntime.global(), name, executor);
  }

  /**
   * Creates a join set in {@code runtime} whose tasks run on {@code executor}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public JoinSet(MoireRuntime runtime, String name, ExecutorService executor) {
    this.runtime = Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "join set name");
    Checks.notNull(executor, "executor");
    this.handle = runtime.createEntity(name, new EntityBody.Future());
    this.executor = new TrackedExecutorService(runtime, handle.name(), executor);
  }

  /** Returns the join set's entity id. */
  public EntityId id() {
    return handle.id();
  }

  /**
   * Runs {@code task} as a tracked task of this set.
   *
   * @return the task's future; its result also comes from {@link #joinNext()}
   */
  public TrackedFuture<T> spawn(Callable<T> task) {
    Checks.notNull(task, "task");
    CompletableFuture<T> outcome = new CompletableFuture<>();
    AtomicBoolean queued = new AtomicBoolean();
    Runnable queue =
        () -> {
          if (queued.compareAndSet(false, true)) {
            finished.add(outcome);
          }
        };
    outstanding.incrementAndGet();
    TrackedFuture<T> submitted;
    try {
      submitted =
          executor.submit(
              () -> {
                try {
                  T value = task.call();
                  outcome.complete(value);
                  return value;
                } catch (Throwable e) {
                  outcome.completeExceptionally(e);
                  throw e;
                } finally {
                  queue.run();
                }
              });
    } catch (RuntimeException e) {
      outstanding.decrementAndGet();
      throw e;
    }
    // A task cancelled before it ran still counts as finished: joinNext reports its cancellation.
    return new TrackedFuture<>(
        runtime,
        submitted.taskId(),
        submitted,
        () -> {
          outcome.completeExceptionally(
              new CancellationException("task '" + submitted.taskId() + "' was cancelled"));
          queue.run();
        });
  }

  /**
   * Waits for the next task to finish and returns its result.
   *
   * @return the result, or empty when no task is left
   * @throws ExecutionException if that task failed
   * @throws CancellationException if that task was cancelled
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<T> joinNext() throws InterruptedException, ExecutionException {
    if (outstanding.get() == 0) {
      return Optional.empty();
    }
    Future<T> next = finished.poll();
    if (next == null) {
      try (WaitToken wait = runtime.beginWait(handle.id(), false)) {
        try {
          next = finished.take();
        } catch (InterruptedException e) {
          throw wait.interrupted(e);
        }
      }
    }
    outstanding.decrementAndGet();
    try {
      return Optional.ofNullable(next.get());
    } catch (CancellationException e) {
      // Newer JDKs wrap the stored cancellation in a new one ("get"); report the original.
      throw e.getCause() instanceof CancellationException original ? original : e;
    }
  }

  /** Returns how many spawned tasks have not been joined. */
  public int size() {
    return outstanding.get();
  }

  /** Removes the join set from the graph; running tasks go on. */
  @Override
  public void close() {
    handle.close();
  }
}
