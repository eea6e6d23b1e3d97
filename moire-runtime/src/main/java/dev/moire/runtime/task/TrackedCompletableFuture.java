package dev.moire.runtime.task;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link CompletableFuture} tracked as a oneshot channel: adopt it by changing one constructor,
 * {@code new CompletableFuture<>()} to {@code new TrackedCompletableFuture<>("reply")}.
 *
 * <p>Until it completes, it is a {@code oneshot_tx}/{@code oneshot_rx} pair; a caller blocked in
 * {@link #get()} or {@link #join()} is {@code waiting_on} the receiving end. Completing it in any
 * way sends: the sender's {@code sent} turns true, a {@code channel_sent} event is recorded, and
 * both ends leave the graph. Dependent stages ({@code thenApply}...) are plain {@code
 * CompletableFuture}s. The JDK's contract, double completion included, is unchanged.
 *
 * @param <T> the result type
 */
public final class TrackedCompletableFuture<T> extends CompletableFuture<T> {
  private final MoireRuntime runtime;
  private final EntityHandle<EntityBody.OneshotTx> tx;
  private final EntityHandle<EntityBody.OneshotRx> rx;

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
    this.runtime = Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "future name");
    EntityPair<EntityBody.OneshotTx, EntityBody.OneshotRx> pair =
        runtime.createPair(name, new EntityBody.OneshotTx(false), new EntityBody.OneshotRx());
    this.tx = pair.first();
    this.rx = pair.second();
    super.whenComplete((value, failure) -> sent());
  }

  /** Returns the id of the receiving end, which waiters wait on. */
  public EntityId id() {
    return rx.id();
  }

  private synchronized void sent() {
    if (tx.isClosed()) {
      return;
    }
    runtime.currentTask().ifPresent(t -> tx.linkFrom(t, dev.moire.model.EdgeKind.POLLS));
    tx.mutate(b -> new EntityBody.OneshotTx(true));
    tx.recordEvent(
        new EventBody.ChannelSent(OptionalLong.empty(), isCancelled()),
        runtime.operationSource().orElse(tx.source()));
    tx.close();
    rx.close();
  }

  /** Blocks, tracked and abortable, until the future is done. */
  private void awaitDone(boolean timed, long timeoutNanos) throws InterruptedException {
    if (isDone()) {
      return;
    }
    try (WaitToken wait = runtime.beginWait(rx.id(), timed)) {
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

  @Override
  public T get() throws InterruptedException, ExecutionException {
    awaitDone(false, 0);
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    awaitDone(true, unit.toNanos(timeout));
    return super.get(0, TimeUnit.NANOSECONDS);
  }

  /**
   * Waits for the result as {@link CompletableFuture#join()} does; the wait is not interruptible,
   * but the harness can abort it.
   */
  @Override
  public T join() {
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

  /** Dependent stages are plain, untracked futures. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public String toString() {
    return "TrackedCompletableFuture[" + rx.name() + ", " + super.toString() + "]";
  }
}
