package dev.moire.runtime.sync;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityBody.OnceCellState;
import dev.moire.model.EntityId;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Holders;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A cell initialised once, by the first task that asks: others wait for it.
 *
 * <pre>{@code
 * OnceCell<Config> config = new OnceCell<>("config");
 * Config c = config.getOrInit(Config::load); // loads once; concurrent callers wait
 * }</pre>
 *
 * <p>The body shows {@code state} ({@code empty}, {@code initializing}, {@code initialized}) and
 * {@code waiter_count}. While a task runs the initialiser it {@code holds} the cell, and waiters
 * are {@code waiting_on} it, so an initialiser that waits for one of its waiters is a deadlock in
 * the graph. If the initialiser throws, the cell is empty again and one waiter takes over. The
 * initialiser runs without any lock held. The state and the hold are recorded lazily: written when
 * the graph is observed and before a task waits for the cell.
 *
 * @param <T> the value type
 */
public final class OnceCell<T> {
  private final Holders<EntityBody.OnceCell> holders;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition settled = lock.newCondition();
  private @Nullable T value;
  private @Nullable Thread initializer;
  private int waiters;

  /**
   * Creates an empty cell in the global runtime.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public OnceCell(String name) {
    this(MoireRuntime.global(), name);
  }

  /**
   * Creates an empty cell in {@code runtime}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public OnceCell(MoireRuntime runtime, String name) {
    Checks.notNull(runtime, "runtime");
    Checks.notBlank(name, "once-cell name");
    this.holders =
        new Holders<>(
            runtime,
            runtime.createEntity(name, new EntityBody.OnceCell(0, OnceCellState.EMPTY)),
            true,
            true);
    if (runtime.isEnabled()) {
      holders.handle().deferUntilObserved(flush);
    }
  }

  /** Writes the state and the initialiser's hold when the graph is observed; held weakly there. */
  private final Deferred flush = this::flushToGraph;

  /** Whether the state changed since it was last written. Guarded by {@code lock}. */
  private boolean stale;

  private void flushToGraph() {
    holders.flush();
    lock.lock();
    try {
      if (!stale) {
        return;
      }
      stale = false;
      OnceCellState state =
          value != null
              ? OnceCellState.INITIALIZED
              : initializer != null ? OnceCellState.INITIALIZING : OnceCellState.EMPTY;
      int n = waiters;
      holders.handle().mutate(b -> new EntityBody.OnceCell(n, state));
    } finally {
      lock.unlock();
    }
  }

  /** Returns the cell's entity id, such as {@code once_cell:p1:config}. */
  public EntityId id() {
    return holders.handle().id();
  }

  /** Returns the value, if initialised. */
  public Optional<T> get() {
    lock.lock();
    try {
      return Optional.ofNullable(value);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets the value if the cell is empty and nobody is initialising it.
   *
   * @return whether this call set it
   * @throws NullPointerException if {@code newValue} is null
   */
  public boolean set(T newValue) {
    Checks.notNull(newValue, "value of once-cell '" + holders.handle().name() + "'");
    lock.lock();
    try {
      holders.polled();
      if (value != null || initializer != null) {
        return false;
      }
      value = newValue;
      publish();
      settled.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the value, computing it with {@code init} if this is the first call; concurrent callers
   * wait for the first one's result.
   *
   * @throws NullPointerException if {@code init} is null or returns null
   * @throws IllegalStateException if called again from inside {@code init} (it would wait for
   *     itself forever)
   * @throws InterruptedException if interrupted while waiting for another task's initialisation
   */
  public T getOrInit(Supplier<? extends T> init) throws InterruptedException {
    Checks.notNull(init, "initialiser");
    lock.lock();
    try {
      holders.polled();
      while (true) {
        if (value != null) {
          return value;
        }
        if (initializer == null) {
          initializer = Thread.currentThread();
          break;
        }
        if (initializer == Thread.currentThread()) {
          throw new IllegalStateException(
              "once-cell '" + holders.handle().name() + "' is initialised recursively");
        }
        waiters++;
        publish();
        flushToGraph();
        try (WaitToken wait = holders.runtime().beginWait(holders.handle(), false)) {
          try {
            settled.await();
          } catch (InterruptedException e) {
            throw wait.interrupted(e);
          }
          wait.checkAborted();
        } finally {
          waiters--;
          publish();
        }
      }
      publish();
    } finally {
      lock.unlock();
    }
    var task = holders.task();
    holders.add(task, 1);
    T result = null;
    try {
      result = init.get();
      if (result == null) {
        throw new NullPointerException(
            "initialiser of once-cell '" + holders.handle().name() + "' returned null");
      }
      return result;
    } finally {
      holders.remove(task, 1);
      lock.lock();
      try {
        initializer = null;
        value = result;
        publish();
        settled.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Marks the state to be written at the next flush; the caller holds {@code lock}. */
  private void publish() {
    stale = true;
  }

  @Override
  public String toString() {
    return "OnceCell[" + holders.handle().name() + "]";
  }
}
