package dev.moire.runtime.agent;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.AllocationSites;
import dev.moire.runtime.internal.MonitorSignals;
import dev.moire.runtime.internal.OperationSites;
import dev.moire.runtime.internal.ThreadStarts;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.task.TrackedCompletableFuture;
import dev.moire.runtime.task.TrackedScheduledThreadPoolExecutor;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What code rewritten by {@code moire-agent} calls: not for hand-written code (use the drop-ins).
 *
 * <p>The agent rewrites a user's class at load time: {@code new Semaphore(2)} becomes {@code new
 * TrackedSemaphore(2)} preceded by {@link #site(String)}, which names the drop-in after its
 * allocation site; calls of the JDK's factories ({@code Executors.newFixedThreadPool}, {@code
 * CompletableFuture.supplyAsync}, ...) become calls of the methods here with the same arguments
 * plus the site's name, each returning a drop-in configured exactly as the JDK's factory configures
 * its own (same pool sizes, queue, keep-alive, thread factory). Each method's descriptor is its JDK
 * twin's with a trailing {@code String}: the agent's tests check that every rewrite has one. Calls
 * of a few instance methods ({@code latch.countDown()}, {@code future.complete(v)}) become the
 * static bridges of the same name with the receiver first and the call's line last: the drop-in
 * learns where it was counted down or completed without walking the stack; {@code thread.start()},
 * {@code monitor.notify()} and {@code notifyAll()} tell where threads were started and monitors
 * notified, which the JVM's own evidence does not say.
 *
 * <p>moire's own code never calls these: the agent never rewrites moire's library.
 */
public final class AgentBridges {
  private AgentBridges() {}

  /** Names the next drop-in constructed on this thread after its allocation site. */
  public static void site(String name) {
    AllocationSites.set(name);
  }

  /** The bridged call's site: its name, its source kept for the drop-in the call creates. */
  private static String named(String site) {
    return AllocationSites.use(site);
  }

  /** Whether the global runtime records anything (a disabled one gets the JDK's own types). */
  private static boolean tracking() {
    return MoireRuntime.global().isEnabled();
  }

  /** {@link Executors#newFixedThreadPool(int)}, tracked. */
  public static ExecutorService newFixedThreadPool(int threads, String site) {
    return newFixedThreadPool(threads, Executors.defaultThreadFactory(), site);
  }

  /** {@link Executors#newFixedThreadPool(int, ThreadFactory)}, tracked. */
  public static ExecutorService newFixedThreadPool(
      int threads, ThreadFactory factory, String site) {
    if (!tracking()) {
      return Executors.newFixedThreadPool(threads, factory);
    }
    return pool(named(site), threads, threads, 0L, new LinkedBlockingQueue<>(), factory);
  }

  /** {@link Executors#newSingleThreadExecutor()}, tracked. */
  public static ExecutorService newSingleThreadExecutor(String site) {
    return newSingleThreadExecutor(Executors.defaultThreadFactory(), site);
  }

  /**
   * {@link Executors#newSingleThreadExecutor(ThreadFactory)}, tracked: like the JDK's, a wrapper
   * that cannot be cast to a {@link ThreadPoolExecutor} and reconfigured.
   */
  public static ExecutorService newSingleThreadExecutor(ThreadFactory factory, String site) {
    if (!tracking()) {
      return Executors.newSingleThreadExecutor(factory);
    }
    return Executors.unconfigurableExecutorService(
        pool(named(site), 1, 1, 0L, new LinkedBlockingQueue<>(), factory));
  }

  /** {@link Executors#newCachedThreadPool()}, tracked. */
  public static ExecutorService newCachedThreadPool(String site) {
    return newCachedThreadPool(Executors.defaultThreadFactory(), site);
  }

  /** {@link Executors#newCachedThreadPool(ThreadFactory)}, tracked. */
  public static ExecutorService newCachedThreadPool(ThreadFactory factory, String site) {
    if (!tracking()) {
      return Executors.newCachedThreadPool(factory);
    }
    return pool(named(site), 0, Integer.MAX_VALUE, 60_000L, new SynchronousQueue<>(), factory);
  }

  /** {@link Executors#newScheduledThreadPool(int)}, tracked. */
  public static ScheduledExecutorService newScheduledThreadPool(int threads, String site) {
    return newScheduledThreadPool(threads, Executors.defaultThreadFactory(), site);
  }

  /** {@link Executors#newScheduledThreadPool(int, ThreadFactory)}, tracked. */
  public static ScheduledExecutorService newScheduledThreadPool(
      int threads, ThreadFactory factory, String site) {
    if (!tracking()) {
      return Executors.newScheduledThreadPool(threads, factory);
    }
    return new TrackedScheduledThreadPoolExecutor(
        MoireRuntime.global(), named(site), threads, factory, new ThreadPoolExecutor.AbortPolicy());
  }

  /** {@link Executors#newSingleThreadScheduledExecutor()}, tracked. */
  public static ScheduledExecutorService newSingleThreadScheduledExecutor(String site) {
    return newSingleThreadScheduledExecutor(Executors.defaultThreadFactory(), site);
  }

  /**
   * {@link Executors#newSingleThreadScheduledExecutor(ThreadFactory)}, tracked: like the JDK's, a
   * wrapper that cannot be reconfigured.
   */
  public static ScheduledExecutorService newSingleThreadScheduledExecutor(
      ThreadFactory factory, String site) {
    if (!tracking()) {
      return Executors.newSingleThreadScheduledExecutor(factory);
    }
    return Executors.unconfigurableScheduledExecutorService(
        newScheduledThreadPool(1, factory, site));
  }

  /** {@link CompletableFuture#supplyAsync(Supplier)}, tracked. */
  public static <U> CompletableFuture<U> supplyAsync(Supplier<U> supplier, String site) {
    return tracking()
        ? TrackedCompletableFuture.supplyAsync(named(site), supplier)
        : CompletableFuture.supplyAsync(supplier);
  }

  /** {@link CompletableFuture#supplyAsync(Supplier, Executor)}, tracked. */
  public static <U> CompletableFuture<U> supplyAsync(
      Supplier<U> supplier, Executor executor, String site) {
    return tracking()
        ? TrackedCompletableFuture.supplyAsync(named(site), supplier, executor)
        : CompletableFuture.supplyAsync(supplier, executor);
  }

  /** {@link CompletableFuture#runAsync(Runnable)}, tracked. */
  public static CompletableFuture<Void> runAsync(Runnable action, String site) {
    return tracking()
        ? TrackedCompletableFuture.runAsync(named(site), action)
        : CompletableFuture.runAsync(action);
  }

  /** {@link CompletableFuture#runAsync(Runnable, Executor)}, tracked. */
  public static CompletableFuture<Void> runAsync(Runnable action, Executor executor, String site) {
    return tracking()
        ? TrackedCompletableFuture.runAsync(named(site), action, executor)
        : CompletableFuture.runAsync(action, executor);
  }

  /**
   * {@link CountDownLatch#countDown()}, with its line: a drop-in latch records where it was counted
   * down and by whom (a latch that never opens then says where its missing count was meant to come
   * from); any other latch counts down as it would have.
   */
  public static void countDown(CountDownLatch latch, String site) {
    if (!(latch instanceof TrackedCountDownLatch)) {
      latch.countDown();
      return;
    }
    Object[] slot = OperationSites.set(latch, AllocationSites.source(site));
    try {
      latch.countDown();
    } finally {
      OperationSites.clear(slot);
    }
  }

  /**
   * {@link CompletableFuture#complete(Object)}, with its line: a drop-in future records where
   * futures made at its line are completed and by whom (another of that line that nobody completes
   * then names its would-be completer); any other future completes as it would have.
   */
  public static <T> boolean complete(CompletableFuture<T> future, T value, String site) {
    if (!(future instanceof TrackedCompletableFuture)) {
      return future.complete(value);
    }
    Object[] slot = OperationSites.set(future, AllocationSites.source(site));
    try {
      return future.complete(value);
    } finally {
      OperationSites.clear(slot);
    }
  }

  /** {@link CompletableFuture#completeExceptionally(Throwable)}, with its line (see complete). */
  public static boolean completeExceptionally(
      CompletableFuture<?> future, Throwable failure, String site) {
    if (!(future instanceof TrackedCompletableFuture)) {
      return future.completeExceptionally(failure);
    }
    Object[] slot = OperationSites.set(future, AllocationSites.source(site));
    try {
      return future.completeExceptionally(failure);
    } finally {
      OperationSites.clear(slot);
    }
  }

  /**
   * Says, just before a call that submits a task to an executor ({@code pool.submit(job)}), the
   * call's line: a tracked executor names its task after it without walking the stack.
   */
  public static void submitting(String site) {
    if (tracking()) {
      OperationSites.set(OperationSites.SUBMIT, AllocationSites.source(site));
    }
  }

  /** Just after that call: forgets the line if no tracked executor took it. */
  public static void submitted() {
    OperationSites.take(OperationSites.SUBMIT);
  }

  /**
   * {@link Thread#start()}, with its line: a join on the thread, or a stall among its waits, then
   * says where it was started. The thread starts exactly as it would have.
   */
  public static void start(Thread thread, String site) {
    if (tracking() && thread.getState() == Thread.State.NEW) {
      ThreadStarts.record(thread, AllocationSites.source(site));
    }
    thread.start();
  }

  /**
   * {@link Object#notify()}, with its line: a thread left in {@code Object.wait} on the same object
   * then says where and by whom it was notified (a signal that came before its wait began, or went
   * to another waiter). Called by the owner of the monitor, as the JDK requires: the bridge's frame
   * is the caller's thread, which holds it; anyone else gets the JDK's exception.
   */
  public static void notify(Object monitor, String site) {
    monitor.notify();
    if (tracking()) {
      MonitorSignals.record(monitor, AllocationSites.source(site));
    }
  }

  /** {@link Object#notifyAll()}, with its line (see {@link #notify(Object, String)}). */
  public static void notifyAll(Object monitor, String site) {
    monitor.notifyAll();
    if (tracking()) {
      MonitorSignals.record(monitor, AllocationSites.source(site));
    }
  }

  private static ThreadPoolExecutor pool(
      String site,
      int core,
      int max,
      long keepAliveMillis,
      java.util.concurrent.BlockingQueue<Runnable> queue,
      ThreadFactory factory) {
    return new TrackedThreadPoolExecutor(
        MoireRuntime.global(),
        site,
        core,
        max,
        keepAliveMillis,
        TimeUnit.MILLISECONDS,
        queue,
        factory,
        new ThreadPoolExecutor.AbortPolicy());
  }
}
