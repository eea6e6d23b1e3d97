package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.runtime.sync.TrackedReadWriteLock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link ReentrantReadWriteLock} contract, per method, run against the JDK's class and against
 * {@link TrackedReadWriteLock} with tracking on and off: shared reads, exclusive writes,
 * downgrading, reentrancy counts, other threads, interrupts, timeouts ≤ 0, fairness, conditions,
 * serialization and {@code toString}, of the lock and of its two views.
 */
@Timeout(30)
// A Holder holds the lock for the body of its try; the body need not name it.
@SuppressWarnings("try")
final class ReentrantReadWriteLockContractTest {
  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            Named.<Function<Boolean, ReentrantReadWriteLock>>of(
                "JDK ReentrantReadWriteLock", ReentrantReadWriteLock::new)),
        Arguments.of(
            Named.<Function<Boolean, ReentrantReadWriteLock>>of(
                "TrackedReadWriteLock, tracking on",
                f -> new TrackedReadWriteLock(Runtimes.ON, "rw", f))),
        Arguments.of(
            Named.<Function<Boolean, ReentrantReadWriteLock>>of(
                "TrackedReadWriteLock, tracking off",
                f -> new TrackedReadWriteLock(Runtimes.OFF, "rw", f))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theViews_areTheJdksViewTypes_andStable(Function<Boolean, ReentrantReadWriteLock> make) {
    ReentrantReadWriteLock rw = make.apply(false);
    assertThat(rw.readLock()).isInstanceOf(ReentrantReadWriteLock.ReadLock.class);
    assertThat(rw.writeLock()).isInstanceOf(ReentrantReadWriteLock.WriteLock.class);
    assertThat(rw.readLock()).isSameAs(rw.readLock());
    assertThat(rw.writeLock()).isSameAs(rw.writeLock());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void countsReentrancyAndDowngrading(Function<Boolean, ReentrantReadWriteLock> make) {
    ReentrantReadWriteLock rw = make.apply(false);
    rw.writeLock().lock();
    rw.writeLock().lock();
    assertThat(rw.getWriteHoldCount()).isEqualTo(2);
    assertThat(rw.isWriteLocked()).isTrue();
    assertThat(rw.isWriteLockedByCurrentThread()).isTrue();
    assertThat(rw.writeLock().isHeldByCurrentThread()).isTrue();
    assertThat(rw.writeLock().getHoldCount()).isEqualTo(2);
    rw.readLock().lock(); // downgrading: a writer may read
    assertThat(rw.getReadHoldCount()).isEqualTo(1);
    assertThat(rw.getReadLockCount()).isEqualTo(1);
    rw.writeLock().unlock();
    rw.writeLock().unlock();
    assertThat(rw.isWriteLocked()).isFalse();
    assertThat(rw.writeLock().tryLock()).as("no upgrading: a reader may not write").isFalse();
    rw.readLock().unlock();
    assertThat(rw.getReadLockCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void unlockWithoutAHold_throwsIllegalMonitorState(
      Function<Boolean, ReentrantReadWriteLock> make) {
    ReentrantReadWriteLock rw = make.apply(false);
    assertThatThrownBy(() -> rw.readLock().unlock())
        .isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(() -> rw.writeLock().unlock())
        .isInstanceOf(IllegalMonitorStateException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void readsAreShared_writesExclusive(Function<Boolean, ReentrantReadWriteLock> make)
      throws Exception {
    ReentrantReadWriteLock rw = make.apply(false);
    try (Holder reader = new Holder(rw.readLock())) {
      assertThat(rw.readLock().tryLock()).isTrue();
      rw.readLock().unlock();
      assertThat(rw.writeLock().tryLock()).isFalse();
      assertThat(rw.writeLock().tryLock(0, TimeUnit.SECONDS)).isFalse();
      assertThat(rw.writeLock().tryLock(-1, TimeUnit.SECONDS)).isFalse();
      assertThat(rw.writeLock().tryLock(20, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(rw.getReadLockCount()).isEqualTo(1);
    }
    try (Holder writer = new Holder(rw.writeLock())) {
      assertThat(rw.readLock().tryLock()).isFalse();
      assertThat(rw.readLock().tryLock(0, TimeUnit.SECONDS)).isFalse();
      assertThat(rw.isWriteLocked()).isTrue();
      assertThat(rw.isWriteLockedByCurrentThread()).isFalse();
      Thread waiter = new Thread(() -> rw.readLock().lock(), "waiter");
      waiter.setDaemon(true);
      waiter.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> rw.hasQueuedThread(waiter));
      assertThat(rw.getQueueLength()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anInterruptedCaller_interruptibleAcquisitionsThrow_lockDoesNot(
      Function<Boolean, ReentrantReadWriteLock> make) {
    ReentrantReadWriteLock rw = make.apply(false);
    for (Lock view : new Lock[] {rw.readLock(), rw.writeLock()}) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(view::lockInterruptibly).isInstanceOf(InterruptedException.class);
      assertThat(Thread.interrupted()).isFalse();
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> view.tryLock(1, TimeUnit.SECONDS))
          .isInstanceOf(InterruptedException.class);
      assertThat(Thread.interrupted()).isFalse();
      Thread.currentThread().interrupt();
      view.lock();
      assertThat(Thread.interrupted()).as("lock() keeps the status").isTrue();
      view.unlock();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void fairness_isAsConstructed_andATimedTryDoesNotBargeAFairLock(
      Function<Boolean, ReentrantReadWriteLock> make) throws Exception {
    assertThat(make.apply(false).isFair()).isFalse();
    ReentrantReadWriteLock fair = make.apply(true);
    assertThat(fair.isFair()).isTrue();
    try (Holder writer = new Holder(fair.writeLock())) {
      Thread queued = new Thread(() -> fair.writeLock().lock(), "queued");
      queued.setDaemon(true);
      queued.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> fair.hasQueuedThread(queued));
    }
    // the queued writer took the lock when the holder let go, and holds it for good
    await().atMost(Duration.ofSeconds(10)).until(fair::isWriteLocked);
    assertThat(fair.readLock().tryLock(0, TimeUnit.SECONDS)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void conditions_onlyTheWriteLockHasThem(Function<Boolean, ReentrantReadWriteLock> make)
      throws Exception {
    ReentrantReadWriteLock rw = make.apply(false);
    assertThatThrownBy(() -> rw.readLock().newCondition())
        .isInstanceOf(UnsupportedOperationException.class);
    Condition c = rw.writeLock().newCondition();
    assertThatThrownBy(c::await).isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
    rw.writeLock().lock();
    try {
      assertThat(c.awaitNanos(0)).isLessThanOrEqualTo(0);
      assertThat(c.await(-1, TimeUnit.SECONDS)).isFalse();
      assertThat(rw.hasWaiters(c)).isFalse();
      assertThat(rw.getWaitQueueLength(c)).isZero();
      assertThatThrownBy(
              () -> rw.hasWaiters(new ReentrantReadWriteLock().writeLock().newCondition()))
          .isInstanceOf(IllegalArgumentException.class);
      Thread.currentThread().interrupt();
      assertThatThrownBy(c::await).isInstanceOf(InterruptedException.class);
      assertThat(rw.isWriteLockedByCurrentThread()).isTrue();
    } finally {
      rw.writeLock().unlock();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aSerializedLock_isReadBackUnlocked_ofTheSameTypeAndFairness(
      Function<Boolean, ReentrantReadWriteLock> make) throws Exception {
    ReentrantReadWriteLock rw = make.apply(true);
    rw.writeLock().lock();
    ReentrantReadWriteLock copy = Serial.roundTrip(rw);
    rw.writeLock().unlock();
    assertThat(copy).isInstanceOf(rw.getClass());
    assertThat(copy.isWriteLocked()).isFalse();
    assertThat(copy.isFair()).isTrue();
    copy.readLock().lock();
    assertThat(copy.getReadHoldCount()).isEqualTo(1);
    copy.readLock().unlock();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void toString_ofTheLockAndItsViews_isTheJdks(Function<Boolean, ReentrantReadWriteLock> make) {
    ReentrantReadWriteLock rw = make.apply(false);
    rw.readLock().lock();
    assertThat(rw.toString()).isEqualTo(identity(rw) + "[Write locks = 0, Read locks = 1]");
    assertThat(rw.readLock().toString()).isEqualTo(identity(rw.readLock()) + "[Read locks = 1]");
    assertThat(rw.writeLock().toString()).isEqualTo(identity(rw.writeLock()) + "[Unlocked]");
    rw.readLock().unlock();
  }

  private static String identity(Object o) {
    return o.getClass().getName() + "@" + Integer.toHexString(o.hashCode());
  }
}
