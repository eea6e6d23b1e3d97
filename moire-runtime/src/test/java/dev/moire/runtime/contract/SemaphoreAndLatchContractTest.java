package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedSemaphore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Semaphore} and {@link CountDownLatch} contracts, per method, against the JDK's classes
 * and the drop-ins with tracking on and off: permits and counts, bad arguments, interrupts,
 * timeouts ≤ 0, fairness, serialization and {@code toString}.
 */
@Timeout(30)
final class SemaphoreAndLatchContractTest {
  /** Makes a semaphore with the given permits and fairness. */
  interface Maker {
    Semaphore make(int permits, boolean fair);
  }

  static Stream<Arguments> semaphores() {
    return Stream.of(
        Arguments.of(Named.<Maker>of("JDK Semaphore", Semaphore::new)),
        Arguments.of(
            Named.<Maker>of(
                "TrackedSemaphore, tracking on",
                (p, f) -> new TrackedSemaphore(Runtimes.ON, "s", p, f))),
        Arguments.of(
            Named.<Maker>of(
                "TrackedSemaphore, tracking off",
                (p, f) -> new TrackedSemaphore(Runtimes.OFF, "s", p, f))));
  }

  static Stream<Arguments> latches() {
    return Stream.of(
        Arguments.of(
            Named.<IntFunction<CountDownLatch>>of("JDK CountDownLatch", CountDownLatch::new)),
        Arguments.of(
            Named.<IntFunction<CountDownLatch>>of(
                "TrackedCountDownLatch, tracking on",
                n -> new TrackedCountDownLatch(Runtimes.ON, "l", n))),
        Arguments.of(
            Named.<IntFunction<CountDownLatch>>of(
                "TrackedCountDownLatch, tracking off",
                n -> new TrackedCountDownLatch(Runtimes.OFF, "l", n))));
  }

  // ---- Semaphore ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("semaphores")
  void permits_acquireReleaseDrainAndBadArguments(Maker make) throws Exception {
    Semaphore s = make.make(3, false);
    s.acquire();
    s.acquire(2);
    assertThat(s.availablePermits()).isZero();
    assertThat(s.tryAcquire()).isFalse();
    s.release(3);
    assertThat(s.drainPermits()).isEqualTo(3);
    s.release(5); // more than were handed out, as the JDK allows
    assertThat(s.availablePermits()).isEqualTo(5);
    assertThatThrownBy(() -> s.acquire(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.release(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.tryAcquire(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(make.make(-2, false).availablePermits()).isEqualTo(-2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("semaphores")
  void timeoutsAtOrBelowZero_andInterrupts(Maker make) throws Exception {
    Semaphore s = make.make(0, false);
    assertThat(s.tryAcquire(0, TimeUnit.SECONDS)).isFalse();
    assertThat(s.tryAcquire(-1, TimeUnit.SECONDS)).isFalse();
    assertThat(s.tryAcquire(2, 0, TimeUnit.SECONDS)).isFalse();
    Thread.currentThread().interrupt();
    assertThatThrownBy(s::acquire).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    s.release();
    Thread.currentThread().interrupt();
    assertThatThrownBy(s::acquire)
        .as("an interrupted caller throws even with a permit free")
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    Thread.currentThread().interrupt();
    s.acquireUninterruptibly();
    assertThat(Thread.interrupted()).as("acquireUninterruptibly keeps the status").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("semaphores")
  void aWaiter_isQueued_andWokenByARelease(Maker make) throws Exception {
    Semaphore s = make.make(0, true);
    assertThat(s.isFair()).isTrue();
    Thread waiter =
        new Thread(
            () -> {
              try {
                s.acquire();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(s::hasQueuedThreads);
    assertThat(s.getQueueLength()).isEqualTo(1);
    s.release();
    waiter.join();
    assertThat(s.availablePermits()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("semaphores")
  void serializationAndToString(Maker make) throws Exception {
    Semaphore s = make.make(2, true);
    s.acquire();
    Semaphore copy = Serial.roundTrip(s);
    assertThat(copy).isInstanceOf(s.getClass());
    assertThat(copy.availablePermits()).isEqualTo(1);
    assertThat(copy.isFair()).isTrue();
    assertThat(s.toString())
        .isEqualTo(
            s.getClass().getName() + "@" + Integer.toHexString(s.hashCode()) + "[Permits = 1]");
  }

  // ---- CountDownLatch ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("latches")
  void countsDown_toZero_andStaysThere(IntFunction<CountDownLatch> make) throws Exception {
    assertThatThrownBy(() -> make.apply(-1)).isInstanceOf(IllegalArgumentException.class);
    CountDownLatch latch = make.apply(2);
    assertThat(latch.getCount()).isEqualTo(2);
    assertThat(latch.await(0, TimeUnit.SECONDS)).isFalse();
    assertThat(latch.await(-1, TimeUnit.SECONDS)).isFalse();
    latch.countDown();
    latch.countDown();
    latch.countDown();
    assertThat(latch.getCount()).isZero();
    latch.await();
    assertThat(latch.await(0, TimeUnit.SECONDS)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("latches")
  void anInterruptedAwait_throws_evenAtZero(IntFunction<CountDownLatch> make) throws Exception {
    CountDownLatch latch = make.apply(1);
    Thread.currentThread().interrupt();
    assertThatThrownBy(latch::await).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    latch.countDown();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> latch.await(1, TimeUnit.SECONDS))
        .as("the JDK checks the interrupt before the count")
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("latches")
  void aWaiter_isReleasedByTheLastCountDown(IntFunction<CountDownLatch> make) throws Exception {
    CountDownLatch latch = make.apply(1);
    Thread waiter =
        new Thread(
            () -> {
              try {
                latch.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
    latch.countDown();
    waiter.join();
    assertThat(latch.toString())
        .isEqualTo(
            latch.getClass().getName()
                + "@"
                + Integer.toHexString(latch.hashCode())
                + "[Count = 0]");
  }

  @org.junit.jupiter.api.Test
  void aLatchWithTrackingOff_hasAStableIdThatNamesNoEntity() {
    TrackedCountDownLatch latch = new TrackedCountDownLatch(Runtimes.OFF, "l", 1);
    assertThat(latch.id()).isEqualTo(latch.id());
    assertThat(latch.id().value()).startsWith("latch:untracked:");
    assertThat(new TrackedCountDownLatch(Runtimes.ON, "l", 1).id().value()).startsWith("latch:");
  }
}
