package dev.moire.runtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK's documented contracts of {@link Lock}, {@link ReadWriteLock}, {@link Semaphore} and
 * {@link CountDownLatch}, each checked against the JDK class and against moire's drop-in: the
 * drop-in passes exactly when it behaves like the class it replaces.
 */
@Timeout(60)
final class JdkContractTest {
  private static final MoireRuntime RUNTIME = MoireRuntime.create(RuntimeSettings.defaults());

  static Stream<Arguments> locks() {
    return Stream.of(
        Arguments.of(Named.<Supplier<Lock>>of("ReentrantLock", ReentrantLock::new)),
        Arguments.of(
            Named.<Supplier<Lock>>of("ReentrantLock(fair)", () -> new ReentrantLock(true))),
        Arguments.of(
            Named.<Supplier<Lock>>of("TrackedLock", () -> new TrackedLock(RUNTIME, "l", false))),
        Arguments.of(
            Named.<Supplier<Lock>>of(
                "TrackedLock(fair)", () -> new TrackedLock(RUNTIME, "l", true))),
        Arguments.of(
            Named.<Supplier<Lock>>of(
                "ReentrantReadWriteLock.writeLock",
                () -> new ReentrantReadWriteLock().writeLock())),
        Arguments.of(
            Named.<Supplier<Lock>>of(
                "TrackedReadWriteLock.writeLock",
                () -> new TrackedReadWriteLock(RUNTIME, "rw", false).writeLock())));
  }

  static Stream<Arguments> readWriteLocks() {
    return Stream.of(
        Arguments.of(
            Named.<Supplier<ReadWriteLock>>of(
                "ReentrantReadWriteLock", ReentrantReadWriteLock::new)),
        Arguments.of(
            Named.<Supplier<ReadWriteLock>>of(
                "TrackedReadWriteLock", () -> new TrackedReadWriteLock(RUNTIME, "rw", false))));
  }

  static Stream<Arguments> semaphores() {
    return Stream.of(
        Arguments.of(Named.<IntFn<Semaphore>>of("Semaphore", Semaphore::new)),
        Arguments.of(
            Named.<IntFn<Semaphore>>of(
                "TrackedSemaphore", n -> new TrackedSemaphore(RUNTIME, "s", n, false))));
  }

  static Stream<Arguments> latches() {
    return Stream.of(
        Arguments.of(Named.<IntFn<CountDownLatch>>of("CountDownLatch", CountDownLatch::new)),
        Arguments.of(
            Named.<IntFn<CountDownLatch>>of(
                "TrackedCountDownLatch", n -> new TrackedCountDownLatch(RUNTIME, "c", n))));
  }

  /** Makes a synchroniser from a count. */
  interface IntFn<T> {
    T apply(int n);
  }

  private static CompletableFuture<Boolean> onOtherThread(Callable body) {
    CompletableFuture<Boolean> out = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                out.complete(body.call());
              } catch (Throwable e) {
                out.completeExceptionally(e);
              }
            });
    t.start();
    return out;
  }

  interface Callable {
    boolean call() throws Exception;
  }

  // ---- Lock ----

  @ParameterizedTest
  @MethodSource("locks")
  void lock_isReentrant_andExclusive(Supplier<Lock> make) throws Exception {
    Lock lock = make.get();
    lock.lock();
    assertThat(lock.tryLock()).isTrue();
    assertThat(onOtherThread(lock::tryLock).get()).isFalse();
    assertThat(onOtherThread(() -> lock.tryLock(10, TimeUnit.MILLISECONDS)).get()).isFalse();
    lock.unlock();
    assertThat(onOtherThread(lock::tryLock).get()).isFalse(); // still held once
    lock.unlock();
    assertThat(
            onOtherThread(
                    () -> {
                      boolean got = lock.tryLock();
                      lock.unlock();
                      return got;
                    })
                .get())
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("locks")
  void unlock_byANonOwner_throwsIllegalMonitorState(Supplier<Lock> make) throws Exception {
    Lock lock = make.get();
    assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
    lock.lock();
    CompletableFuture<Boolean> other =
        onOtherThread(
            () -> {
              lock.unlock();
              return true;
            });
    assertThatThrownBy(other::get).hasCauseInstanceOf(IllegalMonitorStateException.class);
    lock.unlock();
  }

  @ParameterizedTest
  @MethodSource("locks")
  void lockInterruptibly_throwsWhenInterrupted_andLockKeepsTheStatus(Supplier<Lock> make)
      throws Exception {
    Lock lock = make.get();
    Thread.currentThread().interrupt();
    assertThatThrownBy(lock::lockInterruptibly).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();

    lock.lock();
    AtomicBoolean statusKept = new AtomicBoolean();
    Thread t =
        new Thread(
            () -> {
              lock.lock(); // not interruptible
              statusKept.set(Thread.currentThread().isInterrupted());
              lock.unlock();
            });
    t.start();
    await().until(() -> t.getState() == Thread.State.WAITING);
    t.interrupt();
    lock.unlock();
    t.join();
    assertThat(statusKept.get()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("locks")
  void condition_releasesTheLockWhileAwaiting_andRequiresIt(Supplier<Lock> make) throws Exception {
    Lock lock = make.get();
    Condition c = lock.newCondition();
    assertThatThrownBy(c::await).isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
    lock.lock();
    lock.lock();
    CompletableFuture<Boolean> signaller =
        onOtherThread(
            () -> {
              lock.lock(); // possible only while the owner awaits
              try {
                c.signalAll();
              } finally {
                lock.unlock();
              }
              return true;
            });
    c.await();
    assertThat(signaller.get()).isTrue();
    assertThat(onOtherThread(lock::tryLock).get()).isFalse(); // both holds are back
    assertThat(c.await(1, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(c.awaitNanos(1_000)).isLessThanOrEqualTo(0);
    lock.unlock();
    lock.unlock();
  }

  // ---- ReadWriteLock ----

  @ParameterizedTest
  @MethodSource("readWriteLocks")
  void readWriteLock_sharesReads_excludesWrites_andDowngrades(Supplier<ReadWriteLock> make)
      throws Exception {
    ReadWriteLock rw = make.get();
    rw.readLock().lock();
    assertThat(
            onOtherThread(
                    () -> {
                      boolean got = rw.readLock().tryLock();
                      rw.readLock().unlock();
                      return got;
                    })
                .get())
        .isTrue();
    assertThat(onOtherThread(() -> rw.writeLock().tryLock()).get()).isFalse();
    assertThat(rw.writeLock().tryLock()).isFalse(); // no upgrade
    rw.readLock().unlock();
    rw.writeLock().lock();
    rw.readLock().lock(); // downgrade
    rw.writeLock().unlock();
    assertThat(onOtherThread(() -> rw.writeLock().tryLock()).get()).isFalse();
    rw.readLock().unlock();
    assertThatThrownBy(() -> rw.readLock().newCondition())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- Semaphore ----

  @ParameterizedTest
  @MethodSource("semaphores")
  void semaphore_countsPermits_andAnyThreadMayRelease(IntFn<Semaphore> make) throws Exception {
    Semaphore s = make.apply(2);
    assertThat(s.tryAcquire(2)).isTrue();
    assertThat(s.tryAcquire()).isFalse();
    assertThat(s.tryAcquire(5, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(
            onOtherThread(
                    () -> {
                      s.release(3);
                      return true;
                    })
                .get())
        .isTrue();
    assertThat(s.availablePermits()).isEqualTo(3);
    assertThat(s.drainPermits()).isEqualTo(3);
    assertThat(s.availablePermits()).isZero();
    assertThatThrownBy(() -> s.acquire(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.release(-1)).isInstanceOf(IllegalArgumentException.class);
    Thread.currentThread().interrupt();
    assertThatThrownBy(s::acquire).isInstanceOf(InterruptedException.class);
    CompletableFuture<Boolean> waiter =
        onOtherThread(
            () -> {
              s.acquire(2);
              return true;
            });
    s.release();
    assertThat(waiter).isNotDone();
    s.release();
    assertThat(waiter.get()).isTrue();
  }

  // ---- CountDownLatch ----

  @ParameterizedTest
  @MethodSource("latches")
  void latch_opensAtZero_andStaysOpen(IntFn<CountDownLatch> make) throws Exception {
    CountDownLatch latch = make.apply(2);
    assertThat(latch.await(1, TimeUnit.MILLISECONDS)).isFalse();
    CompletableFuture<Boolean> waiter =
        onOtherThread(
            () -> {
              latch.await();
              return true;
            });
    latch.countDown();
    assertThat(latch.getCount()).isEqualTo(1);
    latch.countDown();
    latch.countDown(); // no effect at zero
    assertThat(latch.getCount()).isZero();
    assertThat(waiter.get()).isTrue();
    latch.await();
    assertThatThrownBy(() -> make.apply(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
