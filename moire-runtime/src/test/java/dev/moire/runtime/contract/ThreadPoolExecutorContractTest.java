package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityKind;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link ThreadPoolExecutor} contract against the JDK's class and {@link
 * TrackedThreadPoolExecutor}, tracking on and off: results and failures through futures,
 * cancellation, rejection after shutdown, the queued tasks {@code shutdownNow()} returns (the very
 * objects given), bulk invocation and the hooks' view of each task.
 */
@Timeout(30)
final class ThreadPoolExecutorContractTest {
  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            Named.<Function<BlockingQueue<Runnable>, ThreadPoolExecutor>>of(
                "JDK ThreadPoolExecutor",
                q -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, q))),
        Arguments.of(
            Named.<Function<BlockingQueue<Runnable>, ThreadPoolExecutor>>of(
                "TrackedThreadPoolExecutor, tracking on", q -> tracked(q, true))),
        Arguments.of(
            Named.<Function<BlockingQueue<Runnable>, ThreadPoolExecutor>>of(
                "TrackedThreadPoolExecutor, tracking off", q -> tracked(q, false))));
  }

  static ThreadPoolExecutor tracked(BlockingQueue<Runnable> q, boolean on) {
    return new TrackedThreadPoolExecutor(
        on ? Runtimes.ON : Runtimes.OFF,
        "pool",
        1,
        1,
        0,
        TimeUnit.SECONDS,
        q,
        Executors.defaultThreadFactory(),
        new ThreadPoolExecutor.AbortPolicy());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void resultsAndFailures_throughTheFutures(
      Function<BlockingQueue<Runnable>, ThreadPoolExecutor> make) throws Exception {
    ThreadPoolExecutor pool = make.apply(new LinkedBlockingQueue<>());
    try {
      assertThat(pool.submit(() -> "done").get()).isEqualTo("done");
      assertThat(pool.submit(() -> {}, "value").get(10, TimeUnit.SECONDS)).isEqualTo("value");
      IllegalStateException boom = new IllegalStateException("boom");
      Future<String> failed =
          pool.submit(
              () -> {
                throw boom;
              });
      assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).hasCause(boom);
      assertThat(pool.invokeAll(List.<Callable<Integer>>of(() -> 1, () -> 2)))
          .extracting(Future::get)
          .containsExactly(1, 2);
      assertThat(pool.invokeAny(List.<Callable<Integer>>of(() -> 3))).isEqualTo(3);
      await().atMost(Duration.ofSeconds(10)).until(() -> pool.getCompletedTaskCount() == 6);
    } finally {
      pool.shutdown();
    }
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void queuedTasks_cancellationTimeoutsAndShutdownNow(
      Function<BlockingQueue<Runnable>, ThreadPoolExecutor> make) throws Exception {
    ThreadPoolExecutor pool = make.apply(new ArrayBlockingQueue<>(4));
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Future<String> queued = pool.submit(() -> "never");
    assertThatThrownBy(() -> queued.get(0, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(queued.cancel(false)).isTrue();
    assertThatThrownBy(queued::get).isInstanceOf(CancellationException.class);
    Runnable plain = () -> {};
    pool.execute(plain);
    assertThat(pool.getQueue()).contains(plain);
    List<Runnable> never = pool.shutdownNow();
    assertThat(never).as("the very objects given, and the cancelled future").contains(plain);
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.isTerminated()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void rejection_callsTheHandlerGiven_whichMayRunTheTaskInTheCaller(
      Function<BlockingQueue<Runnable>, ThreadPoolExecutor> make) throws Exception {
    ThreadPoolExecutor pool = make.apply(new SynchronousQueue<>());
    RejectedExecutionHandler callerRuns = new ThreadPoolExecutor.CallerRunsPolicy();
    pool.setRejectedExecutionHandler(callerRuns);
    assertThat(pool.getRejectedExecutionHandler()).isSameAs(callerRuns);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    pool.execute(
        () -> {
          busy.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    Thread caller = Thread.currentThread();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    pool.execute(() -> ranOn.set(Thread.currentThread()));
    assertThat(ranOn.get()).as("the caller runs it").isSameAs(caller);
    assertThat(pool.submit(() -> Thread.currentThread()).get()).isSameAs(caller);
    pool.setRejectedExecutionHandler(new ThreadPoolExecutor.AbortPolicy());
    assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void rejectedTasks_leaveTheGraph_orRunAsThemselvesInTheCaller() throws Exception {
    ThreadPoolExecutor pool =
        new TrackedThreadPoolExecutor(
            Runtimes.ON,
            "rejecting",
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            Executors.defaultThreadFactory(),
            new ThreadPoolExecutor.CallerRunsPolicy());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    pool.execute(
        () -> {
          busy.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicReference<String> task = new AtomicReference<>();
    pool.execute(() -> task.set(Runtimes.ON.currentTask().map(Object::toString).orElse("none")));
    assertThat(task.get()).as("run in the caller, as its own task").startsWith("future:");
    pool.setRejectedExecutionHandler(new ThreadPoolExecutor.AbortPolicy());
    assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    assertThat(Runtimes.futuresNamed("rejecting")).as("only the busy task").isEqualTo(1);
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> Runtimes.futuresNamed("rejecting") == 0);
  }

  @Test
  void tasksAreTracked_whileQueuedAndRunning_andLeaveTheGraph() throws Exception {
    ThreadPoolExecutor pool = tracked(new LinkedBlockingQueue<>(), true);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> slow =
        pool.submit(
            () -> {
              release.await();
              return "slow";
            });
    Runnable plain = () -> {};
    pool.execute(plain);
    assertThat(Runtimes.futuresNamed("pool")).isGreaterThanOrEqualTo(2);
    Thread waiter =
        new Thread(
            () -> {
              try {
                slow.get();
              } catch (InterruptedException | ExecutionException e) {
                Thread.currentThread().interrupt();
              }
            },
            "waiter");
    waiter.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Runtimes.ON.snapshot(List.of(waiter)).edgesOfKind(EdgeKind.WAITING_ON).stream()
                    .anyMatch(
                        e ->
                            Runtimes.ON
                                .snapshot()
                                .entity(e.dst())
                                .map(x -> x.kind() == EntityKind.FUTURE)
                                .orElse(false)));
    release.countDown();
    waiter.join();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> Runtimes.futuresNamed("pool") == 0);
  }
}
