package dev.moire.runtime.sync;

import static dev.moire.runtime.sync.Edges.holds;
import static dev.moire.runtime.sync.Edges.waits;
import static dev.moire.runtime.sync.Edges.waitsTimed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityBody.OnceCellState;
import dev.moire.model.EntityId;
import dev.moire.model.ScopeKind;
import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import dev.moire.runtime.ContextToken;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.ScopeHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
@SuppressWarnings("try") // context tokens are entered for their effect
final class SyncPrimitivesTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));
  private final Edges edges = new Edges(runtime);

  private interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} on a new thread; returns its task id once it has one, and its outcome. */
  private CompletableFuture<Throwable> spawn(
      String name, CompletableFuture<EntityId> task, Body body) {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              task.complete(runtime.currentTask().orElseThrow());
              try {
                body.run();
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            },
            name);
    t.start();
    return outcome;
  }

  private EntityId me() {
    return runtime.currentTask().orElseThrow();
  }

  @Test
  void lock_holdsFromFirstAcquisitionToFinalRelease_andWaitersWaitOnIt() throws Exception {
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    assertThat(lock.id()).hasToString("lock:p1:accounts");
    lock.lock();
    lock.lock();
    assertThat(edges.blocking()).containsExactly(holds(me(), lock.id()));
    CompletableFuture<EntityId> other = new CompletableFuture<>();
    CompletableFuture<Throwable> done =
        spawn(
            "other",
            other,
            () -> {
              lock.lock();
              lock.unlock();
            });
    await().until(() -> edges.blocking().contains(waits(other.get(), lock.id())));
    lock.unlock();
    assertThat(edges.blocking()).contains(holds(me(), lock.id()));
    lock.unlock();
    assertThat(done.get()).isNull();
    assertThat(edges.blocking()).isEmpty();
  }

  @Test
  void lock_timedTryLock_isATimedWait() throws Exception {
    TrackedLock lock = new TrackedLock(runtime, "l", false);
    lock.lock();
    CompletableFuture<EntityId> other = new CompletableFuture<>();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Throwable> done =
        spawn(
            "other",
            other,
            () -> {
              assertThat(lock.tryLock(30, TimeUnit.SECONDS)).isTrue();
              release.await();
              lock.unlock();
            });
    await().until(() -> edges.blocking().contains(waitsTimed(other.get(), lock.id())));
    assertThat(lock.tryLock(1, TimeUnit.MILLISECONDS)).isTrue(); // reentrant, immediate
    lock.unlock();
    lock.unlock();
    await().until(() -> edges.blocking().equals(java.util.Set.of(holds(other.get(), lock.id()))));
    release.countDown();
    assertThat(done.get()).isNull();
    assertThat(edges.blocking()).isEmpty();
  }

  @Test
  void lock_awaitingACondition_givesUpTheHold_andWaitsOnTheLock() throws Exception {
    TrackedLock lock = new TrackedLock(runtime, "queue", false);
    Condition notEmpty = lock.newCondition();
    boolean[] ready = new boolean[1];
    CompletableFuture<EntityId> waiter = new CompletableFuture<>();
    CompletableFuture<Throwable> done =
        spawn(
            "waiter",
            waiter,
            () -> {
              lock.lock();
              try {
                while (!ready[0]) {
                  notEmpty.await();
                }
                assertThat(edges.blocking())
                    .contains(holds(runtime.currentTask().orElseThrow(), lock.id()));
              } finally {
                lock.unlock();
              }
            });
    await().until(() -> edges.blocking().equals(java.util.Set.of(waits(waiter.get(), lock.id()))));
    lock.lock();
    assertThat(edges.blocking()).contains(holds(me(), lock.id()), waits(waiter.get(), lock.id()));
    ready[0] = true;
    notEmpty.signal();
    lock.unlock();
    assertThat(done.get()).isNull();
    assertThat(edges.blocking()).isEmpty();
    assertThatThrownBy(notEmpty::await).isInstanceOf(IllegalMonitorStateException.class);
  }

  @Test
  void lock_unlockByANonOwner_isTheJdksException_namingTheLock() {
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    assertThatThrownBy(lock::unlock)
        .isInstanceOf(IllegalMonitorStateException.class)
        .hasMessage(
            "lock 'accounts' is not held by thread '" + Thread.currentThread().getName() + "'");
  }

  @Test
  void lockOrderInversion_showsExactlyTheFourEdges_andTheHarnessCanUnwindIt() throws Exception {
    TrackedLock l1 = new TrackedLock(runtime, "L1", false);
    TrackedLock l2 = new TrackedLock(runtime, "L2", false);
    java.util.concurrent.atomic.AtomicInteger l1Line =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger l2Line =
        new java.util.concurrent.atomic.AtomicInteger();
    ScopeHandle test = runtime.openScope("Inversion.test()", ScopeKind.TEST);
    CountDownLatch bothHold = new CountDownLatch(2);
    CompletableFuture<EntityId> a = new CompletableFuture<>();
    CompletableFuture<EntityId> b = new CompletableFuture<>();
    CompletableFuture<Throwable> aDone;
    CompletableFuture<Throwable> bDone;
    try (ContextToken in = runtime.enterScope(test)) {
      aDone =
          spawn(
              "A",
              a,
              () -> {
                l1.lock();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  l2Line.set(new Throwable().getStackTrace()[0].getLineNumber() + 1);
                  l2.lock();
                  l2.unlock();
                } finally {
                  l1.unlock();
                }
              });
      bDone =
          spawn(
              "B",
              b,
              () -> {
                l2.lock();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  l1Line.set(new Throwable().getStackTrace()[0].getLineNumber() + 1);
                  l1.lock();
                  l1.unlock();
                } finally {
                  l2.unlock();
                }
              });
    }
    java.util.Set<String> stuck =
        java.util.Set.of(
            holds(a.get(), l1.id()),
            waits(a.get(), l2.id()),
            holds(b.get(), l2.id()),
            waits(b.get(), l1.id()));
    await().until(() -> edges.blocking().equals(stuck));
    assertThat(edges.blocking()).containsExactlyInAnyOrderElementsOf(stuck);
    // The JVM confirms both threads parked, so the findings call the cycle certain.
    await()
        .until(
            () ->
                Findings.analyze(runtime.snapshot(), FindingSettings.defaults()).stream()
                    .anyMatch(
                        f ->
                            f.kind() == FindingKind.DEADLOCK_CYCLE
                                && f.certainty() == Certainty.CERTAIN));
    assertThat(Findings.analyze(runtime.snapshot(), FindingSettings.defaults()))
        .filteredOn(f -> f.kind() == FindingKind.DEADLOCK_CYCLE)
        .singleElement()
        .extracting(Finding::explanation)
        .isEqualTo(
            "thread 'A' waits on lock 'L2' (SyncPrimitivesTest.java:"
                + l2Line.get()
                + "), held by thread 'B', which waits on lock 'L1' (SyncPrimitivesTest.java:"
                + l1Line.get()
                + "), held by thread 'A'");

    AssertionError deadlock = new AssertionError("deadlock");
    runtime.abortWaits(test.id(), deadlock);
    // Each thread either got the harness's error, or acquired its lock legitimately once the
    // other unwound (and then finished normally); at least one must have been aborted.
    assertThat(java.util.Arrays.asList(aDone.get(), bDone.get()))
        .contains(deadlock)
        .allSatisfy(outcome -> assertThat(outcome).isIn(null, deadlock));
    assertThat(edges.blocking()).isEmpty();
    assertThat(l1.isLocked()).isFalse();
    assertThat(l2.isLocked()).isFalse();
  }

  @Test
  void readWriteLock_readersHold_aWriterWaits_andAnUpgradeWaitsOnItself() throws Exception {
    TrackedReadWriteLock rw = new TrackedReadWriteLock(runtime, "cache", false);
    rw.readLock().lock();
    CompletableFuture<EntityId> reader = new CompletableFuture<>();
    CountDownLatch readerIn = new CountDownLatch(1);
    CountDownLatch readerOut = new CountDownLatch(1);
    CompletableFuture<Throwable> readerDone =
        spawn(
            "reader",
            reader,
            () -> {
              rw.readLock().lock();
              readerIn.countDown();
              readerOut.await();
              rw.readLock().unlock();
            });
    readerIn.await();
    assertThat(edges.blocking())
        .containsExactlyInAnyOrder(holds(me(), rw.id()), holds(reader.get(), rw.id()));
    readerOut.countDown();
    assertThat(readerDone.get()).isNull();

    ScopeHandle test = runtime.openScope("Upgrade.test()", ScopeKind.TEST);
    CompletableFuture<EntityId> upgrader = new CompletableFuture<>();
    CompletableFuture<Throwable> upgraded;
    rw.readLock().unlock();
    try (ContextToken in = runtime.enterScope(test)) {
      upgraded =
          spawn(
              "upgrader",
              upgrader,
              () -> {
                rw.readLock().lock();
                try {
                  rw.writeLock().lock(); // blocks forever in the JDK
                } finally {
                  rw.readLock().unlock();
                }
              });
    }
    await()
        .until(
            () ->
                edges
                    .blocking()
                    .equals(
                        java.util.Set.of(
                            holds(upgrader.get(), rw.id()), waits(upgrader.get(), rw.id()))));
    AssertionError abort = new AssertionError("self-deadlock");
    runtime.abortWaits(test.id(), abort);
    assertThat(upgraded.get()).isSameAs(abort);
    assertThat(edges.blocking()).isEmpty();
  }

  @Test
  void semaphore_countsPermitsPerHolder_andWaitersWaitOnIt() throws Exception {
    TrackedSemaphore pool = new TrackedSemaphore(runtime, "db", 2, false);
    pool.acquire();
    pool.acquire();
    assertThat(edges.blocking()).containsExactly(holds(me(), pool.id()));
    assertThat(runtime.snapshot().entity(pool.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.Semaphore(2, 2));
    CompletableFuture<EntityId> other = new CompletableFuture<>();
    CompletableFuture<Throwable> done =
        spawn(
            "other",
            other,
            () -> {
              pool.acquire();
              pool.release();
            });
    await().until(() -> edges.blocking().contains(waits(other.get(), pool.id())));
    pool.release();
    assertThat(done.get()).isNull();
    assertThat(edges.blocking()).containsExactly(holds(me(), pool.id()));
    pool.release();
    assertThat(edges.blocking()).isEmpty();
    assertThat(runtime.snapshot().entity(pool.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.Semaphore(2, 0));
    assertThat(pool.tryAcquire(3, 10, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void semaphore_releaseByANonHolder_isAllowed_asInTheJdk() throws Exception {
    TrackedSemaphore signal = new TrackedSemaphore(runtime, "signal", 0, false);
    CompletableFuture<EntityId> waiter = new CompletableFuture<>();
    CountDownLatch checked = new CountDownLatch(1);
    CompletableFuture<Throwable> done =
        spawn(
            "waiter",
            waiter,
            () -> {
              signal.acquire();
              checked.await();
            });
    await().until(() -> edges.blocking().contains(waits(waiter.get(), signal.id())));
    signal.release(); // by a task that holds no permit
    await()
        .until(() -> edges.blocking().equals(java.util.Set.of(holds(waiter.get(), signal.id()))));
    assertThat(signal.availablePermits()).isZero();
    assertThat(runtime.snapshot().entity(signal.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.Semaphore(1, 1));
    checked.countDown();
    assertThat(done.get()).isNull();
  }

  @Test
  void semaphore_permitsReleasedByAnotherTask_makeTheHoldersUncertain_untilNoneIsOut()
      throws Exception {
    TrackedSemaphore inFlight = new TrackedSemaphore(runtime, "in-flight", 2, false);
    inFlight.acquire(2);
    CompletableFuture<EntityId> worker = new CompletableFuture<>();
    assertThat(spawn("worker", worker, () -> inFlight.release()).get()).isNull();
    EntityBody.Semaphore body =
        (EntityBody.Semaphore) runtime.snapshot().entity(inFlight.id()).orElseThrow().body();
    assertThat(body.handedOutPermits()).isEqualTo(1);
    assertThat(body.holdersKnown()).isFalse();
    assertThat(body.handOff().orElseThrow()).startsWith("SyncPrimitivesTest.java:");
    // The holds edge may now name a task that holds nothing: it stays, marked by the body.
    assertThat(edges.blocking()).containsExactly(holds(me(), inFlight.id()));
    inFlight.release();
    assertThat(runtime.snapshot().entity(inFlight.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.Semaphore(2, 0));
    assertThat(edges.blocking()).isEmpty();
    assertThat(inFlight.availablePermits()).isEqualTo(2);
  }

  @Test
  void latch_showsItsCount_andAwaitersWaitOnIt() throws Exception {
    TrackedCountDownLatch ready = new TrackedCountDownLatch(runtime, "ready", 2);
    CompletableFuture<EntityId> waiter = new CompletableFuture<>();
    CompletableFuture<Throwable> done = spawn("waiter", waiter, ready::await);
    await().until(() -> edges.blocking().contains(waits(waiter.get(), ready.id())));
    ready.countDown();
    assertThat(runtime.snapshot().entity(ready.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.Latch(1));
    ready.countDown();
    assertThat(done.get()).isNull();
    assertThat(edges.blocking()).isEmpty();
    assertThat(ready.await(1, TimeUnit.MILLISECONDS)).isTrue();
  }

  @Test
  void latch_withPerOperationSources_saysWhereAndByWhomItWasCountedDown() throws Exception {
    MoireRuntime perOperation =
        MoireRuntime.create(
            RuntimeSettings.defaults().withProcessName("p2").withPerOperationSources(true));
    TrackedCountDownLatch warmed = new TrackedCountDownLatch(perOperation, "warmed", 3);
    int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
    Runnable warm = () -> warmed.countDown();
    for (String name : List.of("warm-0", "warm-2")) {
      Thread t = new Thread(warm, name);
      t.start();
      t.join();
    }
    EntityBody.Latch body =
        (EntityBody.Latch) perOperation.snapshot().entity(warmed.id()).orElseThrow().body();
    assertThat(body.count()).isEqualTo(1);
    assertThat(body.countedDown()).hasSize(1);
    assertThat(body.countedDown().get(0).at().location())
        .isEqualTo("SyncPrimitivesTest.java:" + line);
    assertThat(body.countedDown().get(0).threads()).containsExactly("warm-0", "warm-2");

    // Without per-operation sources (and without the agent) no line is known, nor kept.
    TrackedCountDownLatch plain = new TrackedCountDownLatch(runtime, "plain", 2);
    plain.countDown();
    assertThat(runtime.snapshot().entity(plain.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.Latch(1));
  }

  @Test
  void notify_countsWaiters_andWakesThem() throws Exception {
    Notify wakeup = new Notify(runtime, "wakeup");
    wakeup.notifyOne(); // stored as a permit
    wakeup.notified();
    CompletableFuture<EntityId> w1 = new CompletableFuture<>();
    CompletableFuture<EntityId> w2 = new CompletableFuture<>();
    CompletableFuture<Throwable> d1 = spawn("w1", w1, wakeup::notified);
    CompletableFuture<Throwable> d2 = spawn("w2", w2, wakeup::notified);
    await()
        .until(
            () ->
                runtime
                    .snapshot()
                    .entity(wakeup.id())
                    .orElseThrow()
                    .body()
                    .equals(new EntityBody.Notify(2)));
    assertThat(edges.blocking())
        .containsExactlyInAnyOrder(waits(w1.get(), wakeup.id()), waits(w2.get(), wakeup.id()));
    wakeup.notifyWaiters();
    assertThat(d1.get()).isNull();
    assertThat(d2.get()).isNull();
    assertThat(edges.blocking()).isEmpty();
    assertThat(wakeup.notified(Duration.ofMillis(10))).isFalse();
  }

  @Test
  void onceCell_theInitialiserHoldsIt_whileOthersWait() throws Exception {
    OnceCell<String> config = new OnceCell<>(runtime, "config");
    CountDownLatch initStarted = new CountDownLatch(1);
    CountDownLatch finishInit = new CountDownLatch(1);
    CompletableFuture<EntityId> initTask = new CompletableFuture<>();
    CompletableFuture<Throwable> initDone =
        spawn(
            "init",
            initTask,
            () ->
                config.getOrInit(
                    () -> {
                      initStarted.countDown();
                      try {
                        finishInit.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                      return "loaded";
                    }));
    initStarted.await();
    assertThat(runtime.snapshot().entity(config.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.OnceCell(0, OnceCellState.INITIALIZING));
    CompletableFuture<EntityId> waiter = new CompletableFuture<>();
    CompletableFuture<Throwable> waiterDone =
        spawn(
            "waiter",
            waiter,
            () -> assertThat(config.getOrInit(() -> "other")).isEqualTo("loaded"));
    await()
        .until(
            () ->
                edges
                    .blocking()
                    .equals(
                        java.util.Set.of(
                            holds(initTask.get(), config.id()), waits(waiter.get(), config.id()))));
    finishInit.countDown();
    assertThat(initDone.get()).isNull();
    assertThat(waiterDone.get()).isNull();
    assertThat(edges.blocking()).isEmpty();
    assertThat(runtime.snapshot().entity(config.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.OnceCell(0, OnceCellState.INITIALIZED));
    assertThat(config.set("late")).isFalse();
    assertThat(config.get()).contains("loaded");
  }

  @Test
  void onceCell_aFailedInitialiser_leavesItEmptyForTheNextCaller() throws Exception {
    OnceCell<String> cell = new OnceCell<>(runtime, "flaky");
    assertThatThrownBy(
            () ->
                cell.getOrInit(
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(cell.get()).isEmpty();
    assertThat(edges.blocking()).isEmpty();
    assertThat(cell.getOrInit(() -> "ok")).isEqualTo("ok");
  }

  @Test
  void badInput_keepsTheJdkExceptions_withTheEntityNamed() {
    assertThatThrownBy(() -> new TrackedCountDownLatch(runtime, "ready", -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count of latch 'ready' must not be negative: -2");
    TrackedSemaphore s = new TrackedSemaphore(runtime, "s", 1, false);
    assertThatThrownBy(() -> s.acquire(-1)).isInstanceOf(IllegalArgumentException.class);
    Lock read = new TrackedReadWriteLock(runtime, "rw", false).readLock();
    assertThatThrownBy(read::newCondition).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(read::unlock).isInstanceOf(IllegalMonitorStateException.class);
  }
}
