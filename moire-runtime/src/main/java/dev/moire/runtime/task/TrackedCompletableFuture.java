package dev.moire.runtime.task;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.OperationSite;
import dev.moire.model.Source;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.OperationSites;
import dev.moire.runtime.internal.SourceCapture;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CompletableFuture} tracked as a oneshot channel: adopt it by changing one constructor,
 * {@code new CompletableFuture<>()} to {@code new TrackedCompletableFuture<>("reply")}.
 *
 * <p>Until it completes, it is a {@code oneshot_tx}/{@code oneshot_rx} pair; a caller blocked in
 * {@link #get()} or {@link #join()} is {@code waiting_on} the receiving end. Completing it in any
 * way sends: the sender's {@code sent} turns true, a {@code channel_sent} event is recorded, and
 * both ends leave the graph. Dependent stages ({@code thenApply}...) are tracked futures too
 * (through {@link #newIncompleteFuture()}), named after the future they depend on, and {@link
 * #supplyAsync(String, Supplier)}/{@link #runAsync(String, Runnable)} start tracked ones. The JDK's
 * contract, double completion, exceptions and {@code toString} included, is unchanged.
 *
 * @param <T> the result type
 */
public final class TrackedCompletableFuture<T> extends CompletableFuture<T> {
  /**
   * One field, so that an untracked future is the size of the JDK's: the future's {@link Ends}
   * while it is tracked; null while the constructor registers its own completion callback (so that
   * callback is a plain future, not a tracked one that would track its own...); in a disabled
   * runtime that runtime, until {@link #id()} is asked for, then the id it made there (named {@code
   * untracked}: a disabled runtime keeps no names).
   */
  private @Nullable Object state;

  /** The runtime and the two ends of a tracked future. */
  private static final class Ends {
    final MoireRuntime runtime;
    final EntityHandle<EntityBody.OneshotTx> tx;
    final EntityHandle<EntityBody.OneshotRx> rx;

    /**
     * From the first wait on: writes to the receiving end, when the graph is observed, where other
     * futures made at its line were completed (guarded by the future's monitor).
     */
    @Nullable Deferred completedAlike;

    Ends(
        MoireRuntime runtime,
        EntityHandle<EntityBody.OneshotTx> tx,
        EntityHandle<EntityBody.OneshotRx> rx) {
      this.runtime = runtime;
      this.tx = tx;
      this.rx = rx;
    }
  }

  /**
   * Creates an incomplete future in the global runtime, named after the line that creates it: the
   * drop-in for {@code new CompletableFuture<>()}.
   */
  public TrackedCompletableFuture() {
    this(MoireRuntime.global(), SourceCapture.callerName(MoireRuntime.global()));
  }

  /**
   * Creates an incomplete future in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedCompletableFuture(String name) {
    this(MoireRuntime.global(), name);
  }

  /**
   * Creates an incomplete future in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TrackedCompletableFuture(MoireRuntime runtime, String name) {
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "future name");
    if (!runtime.isEnabled()) {
      return;
    }
    // Lazily (issue 18): a future completed before anyone looks or waits never takes the graph's
    // lock.
    EntityPair<EntityBody.OneshotTx, EntityBody.OneshotRx> pair =
        runtime.createPairLazily(
            name,
            new EntityBody.OneshotTx(false, true),
            new EntityBody.OneshotRx(true),
            SourceCapture.creation(name));
    Ends ends = new Ends(runtime, pair.first(), pair.second());
    // Completion in any way (dependent stages complete internally) reaches the graph through a
    // plain dependent of this future: it must not be a tracked one (it would track its own...).
    super.whenComplete((value, failure) -> sent());
    this.state = ends;
  }

  /** An untracked future: a dependent of an untracked one, or the tracked one's own callback. */
  @SuppressWarnings("unused") // the parameter only tells the constructors apart
  private TrackedCompletableFuture(boolean tracked) {}

  private @Nullable Ends ends() {
    return state instanceof Ends e ? e : null;
  }

  /**
   * Returns the id of the receiving end, which waiters wait on; with tracking off, an id that names
   * no entity.
   */
  public EntityId id() {
    Ends ends = ends();
    if (ends != null) {
      return ends.rx.id();
    }
    synchronized (this) {
      if (state == null) {
        state = EntityId.of("oneshot_rx:untracked:" + Integer.toHexString(hashCode()));
      }
      return (EntityId) state;
    }
  }

  private synchronized void sent() {
    Ends ends = ends();
    if (ends == null || ends.tx.isClosed()) {
      return;
    }
    EntityHandle<EntityBody.OneshotTx> tx = ends.tx;
    MoireRuntime runtime = ends.runtime;
    // The completing line, when known (the agent's bridge set it; or per-operation sources): a
    // future of the same line that someone waits on will name it, completed or not this one.
    Source at = OperationSites.take(this);
    if (at == null) {
      at = runtime.operationSource().orElse(null);
    }
    if (at != null) {
      runtime.recordCompletion(tx.source(), at);
    }
    if (tx.isUnborn() && ends.rx.isUnborn()) {
      // Completed before anyone looked or waited: closed unborn, it leaves no trace, so neither
      // would its send (the common case: a future completed on the path that made it).
      tx.close();
      ends.rx.close();
      return;
    }
    runtime.currentTask().ifPresent(t -> tx.linkFrom(t, dev.moire.model.EdgeKind.POLLS));
    tx.mutate(b -> new EntityBody.OneshotTx(true, true));
    tx.recordEvent(
        new EventBody.ChannelSent(OptionalLong.empty(), isCancelled()),
        at != null ? at : tx.source());
    tx.close();
    ends.rx.close();
  }

  /** Blocks, tracked and abortable, until the future is done. */
  private void awaitDone(boolean timed, long timeoutNanos) throws InterruptedException {
    Ends ends = ends();
    if (isDone() || ends == null) {
      return;
    }
    watchCompletedAlike(ends);
    try (WaitToken wait = ends.runtime.beginWait(ends.rx.id(), timed)) {
      try {
        if (timed) {
          super.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } else {
          super.get();
        }
      } catch (InterruptedException e) {
        throw wait.interrupted(e);
      } catch (ExecutionException | CancellationException | TimeoutException e) {
        // done (or timed out); the caller reads the outcome the JDK way
      }
    }
  }

  /**
   * From the first wait on, the receiving end shows, each time the graph is observed, where other
   * futures made at its line were completed: who would complete this one, and where.
   */
  private synchronized void watchCompletedAlike(Ends ends) {
    if (ends.completedAlike != null || ends.rx.isClosed()) {
      return;
    }
    Deferred refresh = () -> showCompletedAlike(ends);
    ends.completedAlike = refresh;
    ends.rx.deferUntilObserved(refresh);
  }

  private synchronized void showCompletedAlike(Ends ends) {
    if (ends.rx.isClosed()) {
      return;
    }
    List<OperationSite> alike = ends.runtime.completionsOfFuturesMadeAt(ends.tx.source());
    if (!alike.isEmpty()) {
      ends.rx.mutate(
          b -> alike.equals(b.completedAlike()) ? b : new EntityBody.OneshotRx(true, alike));
    }
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    if (!(state instanceof Ends)) {
      return super.get();
    }
    awaitDone(false, 0);
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (!(state instanceof Ends)) {
      return super.get(timeout, unit);
    }
    awaitDone(true, unit.toNanos(timeout));
    return super.get(0, TimeUnit.NANOSECONDS);
  }

  /**
   * Waits for the result as {@link CompletableFuture#join()} does; the wait is not interruptible,
   * but the harness can abort it.
   */
  @Override
  public T join() {
    if (!(state instanceof Ends)) {
      return super.join();
    }
    boolean interrupted = false;
    while (!isDone()) {
      try {
        awaitDone(false, 0);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return super.join();
  }

  /** As the JDK's, not counting the callback through which this future reports its completion. */
  @Override
  public int getNumberOfDependents() {
    if (!(state instanceof Ends)) {
      return super.getNumberOfDependents(); // no callback of moire's among them
    }
    return Math.max(0, super.getNumberOfDependents() - (isDone() ? 0 : 1));
  }

  /**
   * As the JDK's: identity and state, {@code [Not completed]}, {@code [Not completed, 2
   * dependents]}, {@code [Completed normally]} or {@code [Completed exceptionally: ...]}.
   */
  @Override
  public String toString() {
    if (isDone() || !(state instanceof Ends)) {
      return super.toString();
    }
    int n = getNumberOfDependents();
    return getClass().getName()
        + "@"
        + Integer.toHexString(hashCode())
        + (n == 0 ? "[Not completed]" : "[Not completed, " + n + " dependents]");
  }

  /**
   * Dependent stages ({@code thenApply}, {@code thenCompose}...) are tracked futures of their own,
   * named after this one ({@code "price then"}): a wait on one is a wait on a oneshot.
   */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    Ends ends = ends();
    return ends != null
        ? new TrackedCompletableFuture<>(ends.runtime, ends.rx.name() + " then")
        : new TrackedCompletableFuture<>(false);
  }

  /**
   * Returns a tracked future completed by {@code supplier}, run on the JDK's default async
   * executor, as {@link CompletableFuture#supplyAsync(Supplier)} does.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <U> TrackedCompletableFuture<U> supplyAsync(String name, Supplier<U> supplier) {
    return supplyAsync(name, supplier, defaultAsync());
  }

  /**
   * Returns a tracked future completed by {@code supplier}, run on {@code executor}, as {@link
   * CompletableFuture#supplyAsync(Supplier, Executor)} does.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <U> TrackedCompletableFuture<U> supplyAsync(
      String name, Supplier<U> supplier, Executor executor) {
    Checks.notNull(supplier, "supplier");
    Checks.notNull(executor, "executor");
    TrackedCompletableFuture<U> f = new TrackedCompletableFuture<>(MoireRuntime.global(), name);
    executor.execute(
        () -> {
          try {
            f.complete(supplier.get());
          } catch (Throwable t) {
            // As the JDK's async task does: the failure is wrapped, so that dependents see a
            // CompletionException (exceptionally, handle, whenComplete).
            f.completeExceptionally(
                t instanceof java.util.concurrent.CompletionException
                    ? t
                    : new java.util.concurrent.CompletionException(t));
          }
        });
    return f;
  }

  /**
   * Returns a tracked future completed after {@code action} ran on the JDK's default async
   * executor, as {@link CompletableFuture#runAsync(Runnable)} does.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static TrackedCompletableFuture<Void> runAsync(String name, Runnable action) {
    return runAsync(name, action, defaultAsync());
  }

  /**
   * Returns a tracked future completed after {@code action} ran on {@code executor}, as {@link
   * CompletableFuture#runAsync(Runnable, Executor)} does.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static TrackedCompletableFuture<Void> runAsync(
      String name, Runnable action, Executor executor) {
    Checks.notNull(action, "action");
    return supplyAsync(
        name,
        () -> {
          action.run();
          return null;
        },
        executor);
  }

  /**
   * The JDK's default async executor: the common pool, or a thread per task when the common pool
   * has no parallelism.
   */
  private static Executor defaultAsync() {
    return ForkJoinPool.getCommonPoolParallelism() > 1
        ? ForkJoinPool.commonPool()
        : r -> new Thread(r).start();
  }
}
