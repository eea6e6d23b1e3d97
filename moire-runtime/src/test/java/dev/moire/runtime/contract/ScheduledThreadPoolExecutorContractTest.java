package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EdgeKind;
import dev.moire.runtime.task.TrackedScheduledThreadPoolExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link ScheduledThreadPoolExecutor} contract against the JDK's class and {@link
 * TrackedScheduledThreadPoolExecutor}, tracking on and off: delayed and immediate tasks, order,
 * periodic runs and their end, failures, cancellation with and without the remove-on-cancel policy,
 * timeouts, and what shutdown and {@code shutdownNow()} do to delayed and periodic tasks.
 */
@Timeout(30)
final class ScheduledThreadPoolExecutorContractTest {
  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            Named.<Supplier<ScheduledThreadPoolExecutor>>of(
                "JDK ScheduledThreadPoolExecutor", () -> new ScheduledThreadPoolExecutor(1))),
        Arguments.of(
            Named.<Supplier<ScheduledThreadPoolExecutor>>of(
                "TrackedScheduledThreadPoolExecutor, tracking on", () -> tracked(true))),
        Arguments.of(
            Named.<Supplier<ScheduledThreadPoolExecutor>>of(
                "TrackedScheduledThreadPoolExecutor, tracking off", () -> tracked(false))));
  }

  static ScheduledThreadPoolExecutor tracked(boolean on) {
    return new TrackedScheduledThreadPoolExecutor(
        on ? Runtimes.ON : Runtimes.OFF,
        "timer",
        1,
        Executors.defaultThreadFactory(),
        new ThreadPoolExecutor.AbortPolicy());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void tasks_runInTimeOrder_thenInSchedulingOrder(Supplier<ScheduledThreadPoolExecutor> make)
      throws Exception {
    ScheduledThreadPoolExecutor pool = make.get();
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    pool.execute(
        () -> {
          started.countDown();
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    ScheduledFuture<String> later =
        pool.schedule(() -> order.add("later") ? "l" : "", 50, TimeUnit.MILLISECONDS);
    for (String s : List.of("a", "b", "c")) {
      pool.submit(() -> order.add(s));
    }
    assertThat(later.getDelay(TimeUnit.MILLISECONDS)).isPositive();
    assertThat(pool.getQueue()).hasSize(4).allMatch(r -> r instanceof RunnableScheduledFuture<?>);
    gate.countDown();
    assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("l");
    assertThat(order).containsExactly("a", "b", "c", "later");
    ScheduledFuture<?> failing =
        pool.schedule(
            () -> {
              throw new IllegalStateException("boom");
            },
            0,
            TimeUnit.SECONDS);
    assertThatThrownBy(failing::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> pool.schedule(() -> 1, 0, TimeUnit.SECONDS))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void periodicTasks_repeat_untilCancelledOrFailed(Supplier<ScheduledThreadPoolExecutor> make)
      throws Exception {
    ScheduledThreadPoolExecutor pool = make.get();
    CountDownLatch thrice = new CountDownLatch(3);
    ScheduledFuture<?> ticking =
        pool.scheduleAtFixedRate(thrice::countDown, 0, 1, TimeUnit.MILLISECONDS);
    assertThat(thrice.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(((RunnableScheduledFuture<?>) ticking).isPeriodic()).isTrue();
    assertThat(ticking.cancel(false)).isTrue();
    assertThat(ticking.isCancelled()).isTrue();
    assertThatThrownBy(ticking::get).isInstanceOf(CancellationException.class);
    CountDownLatch twice = new CountDownLatch(2);
    ScheduledFuture<?> failing =
        pool.scheduleWithFixedDelay(
            () -> {
              twice.countDown();
              if (twice.getCount() == 0) {
                throw new IllegalStateException("second run fails");
              }
            },
            0,
            1,
            TimeUnit.MILLISECONDS);
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(failing.isDone()).isTrue();
    pool.shutdownNow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void cancellation_leavesTheTaskQueued_unlessThePolicyRemovesIt(
      Supplier<ScheduledThreadPoolExecutor> make) throws Exception {
    ScheduledThreadPoolExecutor pool = make.get();
    ScheduledFuture<?> a = pool.schedule(() -> {}, 1, TimeUnit.HOURS);
    assertThatThrownBy(() -> a.get(0, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> a.get(-1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(a.cancel(false)).isTrue();
    assertThat(pool.getQueue()).as("the default policy keeps it").hasSize(1);
    pool.setRemoveOnCancelPolicy(true);
    ScheduledFuture<?> b = pool.schedule(() -> {}, 1, TimeUnit.HOURS);
    assertThat(pool.getQueue()).hasSize(2);
    assertThat(b.cancel(true)).isTrue();
    assertThat(pool.getQueue()).hasSize(1);
    pool.purge();
    assertThat(pool.getQueue()).isEmpty();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void shutdown_runsDelayedTasks_endsPeriodicOnes_andShutdownNowReturnsTheRest(
      Supplier<ScheduledThreadPoolExecutor> make) throws Exception {
    ScheduledThreadPoolExecutor pool = make.get();
    ScheduledFuture<String> delayed = pool.schedule(() -> "ran", 20, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> periodic = pool.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
    pool.shutdown();
    assertThat(periodic.isCancelled()).as("periodic tasks end at shutdown").isTrue();
    assertThat(delayed.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    ScheduledThreadPoolExecutor other = make.get();
    ScheduledFuture<?> never = other.schedule(() -> {}, 1, TimeUnit.HOURS);
    List<Runnable> left = other.shutdownNow();
    assertThat(left).hasSize(1);
    assertThat(left.get(0)).isInstanceOf(RunnableScheduledFuture.class);
    assertThat(never.isDone()).isFalse();
    assertThat(other.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void tasksAreTracked_fromScheduling_untilTheyRunOrWillNot() throws Exception {
    TrackedScheduledThreadPoolExecutor pool =
        new TrackedScheduledThreadPoolExecutor(
            Runtimes.ON,
            "tracked-timer",
            1,
            Executors.defaultThreadFactory(),
            new ThreadPoolExecutor.AbortPolicy());
    CountDownLatch release = new CountDownLatch(1);
    ScheduledFuture<String> slow =
        pool.schedule(
            () -> {
              release.await();
              return "slow";
            },
            0,
            TimeUnit.SECONDS);
    ScheduledFuture<?> periodic = pool.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
    pool.schedule(() -> {}, 1, TimeUnit.HOURS);
    assertThat(futures()).as("three tasks").isEqualTo(3);
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
                    .anyMatch(e -> e.dst().toString().startsWith("future:")));
    release.countDown();
    waiter.join();
    await().atMost(Duration.ofSeconds(10)).until(() -> futures() == 2);
    periodic.cancel(false);
    assertThat(futures()).as("a cancelled periodic task leaves").isEqualTo(1);
    pool.shutdownNow();
    assertThat(futures()).as("shutdownNow's tasks will never run").isZero();
  }

  private static long futures() {
    return Runtimes.futuresNamed("tracked-timer");
  }
}
