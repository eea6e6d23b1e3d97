package dev.moire.runtime.task;

import dev.moire.model.EntityId;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Future} of a task submitted to a {@link TrackedExecutorService}: a caller blocked in
 * {@link #get()} is {@code waiting_on} the task's {@code future} entity.
 *
 * @param <T> the result type
 */
public final class TrackedFuture<T> implements Future<T> {
  private final MoireRuntime runtime;
  private final EntityId task;
  private final Future<T> inner;
  private final Runnable onCancel;

  TrackedFuture(MoireRuntime runtime, EntityId task, Future<T> inner, Runnable onCancel) {
    this.runtime = runtime;
    this.task = task;
    this.inner = inner;
    this.onCancel = onCancel;
  }

  /** Returns the id of the task's {@code future} entity. */
  public EntityId taskId() {
    return task;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = inner.cancel(mayInterruptIfRunning);
    if (cancelled) {
      onCancel.run();
    }
    return cancelled;
  }

  @Override
  public boolean isCancelled() {
    return inner.isCancelled();
  }

  @Override
  public boolean isDone() {
    return inner.isDone();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    if (inner.isDone()) {
      return inner.get();
    }
    try (WaitToken wait = runtime.beginWait(task, false)) {
      try {
        return inner.get();
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
    }
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (inner.isDone()) {
      return inner.get();
    }
    try (WaitToken wait = runtime.beginWait(task, true)) {
      try {
        return inner.get(timeout, unit);
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      }
    }
  }

  @Override
  public String toString() {
    return "TrackedFuture[" + task + ", " + inner + "]";
  }
}
