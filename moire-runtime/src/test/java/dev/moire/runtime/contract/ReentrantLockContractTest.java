package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.runtime.sync.TrackedLock;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link ReentrantLock} contract, per method, run against the JDK's class and against {@link
 * TrackedLock} with tracking on and off: every case the JDK passes, the drop-in passes. Organised
 * like the JDK's own {@code ReentrantLockTest}: holds and reentrancy, other threads, interrupts,
 * timeouts ≤ 0, fairness, conditions, serialization and {@code toString}.
 */
@Timeout(30)
// A Holder holds the lock for the body of its try; the body need not name it.
@SuppressWarnings("try")
final class ReentrantLockContractTest {
  /** The locks under test, each made fair or not: the JDK's, the drop-in tracking on and off. */
  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            Named.<Function<Boolean, ReentrantLock>>of("JDK ReentrantLock", ReentrantLock::new)),
        Arguments.of(
            Named.<Function<Boolean, ReentrantLock>>of(
                "TrackedLock, tracking on", f -> new TrackedLock(Runtimes.ON, "lock", f))),
        Arguments.of(
            Named.<Function<Boolean, ReentrantLock>>of(
                "TrackedLock, tracking off", f -> new TrackedLock(Runtimes.OFF, "lock", f))));
  }

  // ---- holds and reentrancy ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void holdCounts_reentrancy_andIsLocked(Function<Boolean, ReentrantLock> make) {
    ReentrantLock lock = make.apply(false);
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.getHoldCount()).isZero();
    lock.lock();
    lock.lock();
    assertThat(lock.tryLock()).isTrue();
    assertThat(lock.getHoldCount()).isEqualTo(3);
    assertThat(lock.isHeldByCurrentThread()).isTrue();
    assertThat(lock.isLocked()).isTrue();
    lock.unlock();
    lock.unlock();
    lock.unlock();
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.isHeldByCurrentThread()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void unlockByANonOwner_throwsIllegalMonitorState(Function<Boolean, ReentrantLock> make)
      throws Exception {
    ReentrantLock lock = make.apply(false);
    assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
    try (Holder h = new Holder(lock)) {
      assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
      assertThat(lock.isLocked()).isTrue();
    }
  }

  // ---- other threads ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void heldByAnother_tryLockFails_andQueriesSeeTheQueue(Function<Boolean, ReentrantLock> make)
      throws Exception {
    ReentrantLock lock = make.apply(false);
    try (Holder h = new Holder(lock)) {
      assertThat(lock.tryLock()).isFalse();
      assertThat(lock.tryLock(0, TimeUnit.SECONDS)).isFalse();
      assertThat(lock.tryLock(-1, TimeUnit.SECONDS)).isFalse();
      assertThat(lock.tryLock(20, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(lock.isHeldByCurrentThread()).isFalse();
      Thread waiter = new Thread(lock::lock, "waiter");
      waiter.setDaemon(true);
      waiter.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> lock.hasQueuedThread(waiter));
      assertThat(lock.hasQueuedThreads()).isTrue();
      assertThat(lock.getQueueLength()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aTimedTryLock_getsTheLockWhenReleasedInTime(Function<Boolean, ReentrantLock> make)
      throws Exception {
    ReentrantLock lock = make.apply(false);
    Holder h = new Holder(lock);
    Thread releaser = new Thread(h::close);
    releaser.start();
    assertThat(lock.tryLock(10, TimeUnit.SECONDS)).isTrue();
    lock.unlock();
    releaser.join();
  }

  // ---- interrupts ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anInterruptedCaller_interruptibleAcquisitionsThrow_lockAndTryLockDoNot(
      Function<Boolean, ReentrantLock> make) throws Exception {
    ReentrantLock lock = make.apply(false);
    Thread.currentThread().interrupt();
    assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> lock.tryLock(1, TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
    Thread.currentThread().interrupt();
    lock.lock(); // not interruptible: takes the lock, keeps the status
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(lock.tryLock()).isTrue();
    lock.unlock();
    lock.unlock();
    assertThat(Thread.interrupted()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aWaitingLockInterruptibly_isInterrupted(Function<Boolean, ReentrantLock> make)
      throws Exception {
    ReentrantLock lock = make.apply(false);
    try (Holder h = new Holder(lock)) {
      Throwable[] thrown = new Throwable[1];
      Thread waiter =
          new Thread(
              () -> {
                try {
                  lock.lockInterruptibly();
                  lock.unlock();
                } catch (InterruptedException e) {
                  thrown[0] = e;
                }
              });
      waiter.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> lock.hasQueuedThread(waiter));
      waiter.interrupt();
      waiter.join();
      assertThat(thrown[0]).isInstanceOf(InterruptedException.class);
      assertThat(lock.hasQueuedThreads()).isFalse();
    }
  }

  // ---- fairness ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void fairness_isAsConstructed_andAFairLockServesItsQueueInOrder(
      Function<Boolean, ReentrantLock> make) throws Exception {
    assertThat(make.apply(false).isFair()).isFalse();
    ReentrantLock fair = make.apply(true);
    assertThat(fair.isFair()).isTrue();
    StringBuffer order = new StringBuffer();
    Thread[] waiters = new Thread[3];
    try (Holder h = new Holder(fair)) {
      for (int i = 0; i < 3; i++) {
        String name = "w" + i;
        waiters[i] =
            new Thread(
                () -> {
                  fair.lock();
                  try {
                    order.append(name);
                  } finally {
                    fair.unlock();
                  }
                });
        waiters[i].start();
        Thread w = waiters[i];
        await().atMost(Duration.ofSeconds(10)).until(() -> fair.hasQueuedThread(w));
      }
      assertThat(fair.tryLock(0, TimeUnit.SECONDS)).as("a timed try does not barge").isFalse();
    }
    for (Thread w : waiters) {
      w.join();
    }
    assertThat(order.toString()).isEqualTo("w0w1w2");
  }

  // ---- conditions ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void conditions_needTheLock_andTimeoutsAtOrBelowZeroReturnAtOnce(
      Function<Boolean, ReentrantLock> make) throws Exception {
    ReentrantLock lock = make.apply(false);
    Condition c = lock.newCondition();
    assertThatThrownBy(c::await).isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(c::signalAll).isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(() -> lock.hasWaiters(c)).isInstanceOf(IllegalMonitorStateException.class);
    lock.lock();
    try {
      assertThat(c.awaitNanos(0)).isLessThanOrEqualTo(0);
      assertThat(c.awaitNanos(-5)).isLessThanOrEqualTo(0);
      assertThat(c.await(0, TimeUnit.SECONDS)).isFalse();
      assertThat(c.awaitUntil(new Date(System.currentTimeMillis() - 1000))).isFalse();
      assertThat(lock.getHoldCount()).as("the hold is back after each").isEqualTo(1);
      assertThat(lock.hasWaiters(c)).isFalse();
      assertThat(lock.getWaitQueueLength(c)).isZero();
      Condition foreign = new ReentrantLock().newCondition();
      assertThatThrownBy(() -> lock.hasWaiters(foreign))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> lock.hasWaiters(null)).isInstanceOf(NullPointerException.class);
    } finally {
      lock.unlock();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aSignalledWaiter_returnsHoldingTheLockAgain_andTheLockSeesIt(
      Function<Boolean, ReentrantLock> make) throws Exception {
    ReentrantLock lock = make.apply(false);
    Condition ready = lock.newCondition();
    boolean[] flag = {false};
    int[] holdAfter = {-1};
    Thread waiter =
        new Thread(
            () -> {
              lock.lock();
              lock.lock(); // held twice: await releases both and restores both
              try {
                while (!flag[0]) {
                  ready.await();
                }
                holdAfter[0] = lock.getHoldCount();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                lock.unlock();
                lock.unlock();
              }
            });
    waiter.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              lock.lock();
              try {
                return lock.hasWaiters(ready) && lock.getWaitQueueLength(ready) == 1;
              } finally {
                lock.unlock();
              }
            });
    lock.lock();
    try {
      flag[0] = true;
      ready.signal();
    } finally {
      lock.unlock();
    }
    waiter.join();
    assertThat(holdAfter[0]).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anInterruptedAwait_throwsHoldingTheLockAgain(Function<Boolean, ReentrantLock> make)
      throws Exception {
    ReentrantLock lock = make.apply(false);
    Condition never = lock.newCondition();
    lock.lock();
    try {
      Thread.currentThread().interrupt();
      assertThatThrownBy(never::await).isInstanceOf(InterruptedException.class);
      assertThat(lock.isHeldByCurrentThread()).isTrue();
      assertThat(Thread.interrupted()).isFalse();
    } finally {
      lock.unlock();
    }
  }

  // ---- serialization and toString ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aSerializedLock_isReadBackUnlocked_ofTheSameTypeAndFairness(
      Function<Boolean, ReentrantLock> make) throws Exception {
    ReentrantLock lock = make.apply(true);
    lock.lock();
    ReentrantLock copy = Serial.roundTrip(lock);
    lock.unlock();
    assertThat(copy).isInstanceOf(lock.getClass());
    assertThat(copy.isLocked()).isFalse();
    assertThat(copy.isFair()).isTrue();
    copy.lock();
    assertThat(copy.getHoldCount()).isEqualTo(1);
    copy.unlock();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void toString_isTheJdks(Function<Boolean, ReentrantLock> make) throws Exception {
    ReentrantLock lock = make.apply(false);
    String identity = lock.getClass().getName() + "@" + Integer.toHexString(lock.hashCode());
    assertThat(lock.toString()).isEqualTo(identity + "[Unlocked]");
    lock.lock();
    assertThat(lock.toString())
        .isEqualTo(identity + "[Locked by thread " + Thread.currentThread().getName() + "]");
    lock.unlock();
    assertThat(lock).isEqualTo(lock).isNotEqualTo(make.apply(false));
  }
}
