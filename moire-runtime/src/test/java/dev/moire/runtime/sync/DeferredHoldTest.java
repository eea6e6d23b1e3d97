package dev.moire.runtime.sync;

import static dev.moire.runtime.sync.Edges.holds;
import static dev.moire.runtime.sync.Edges.waits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.Edge;
import dev.moire.model.EdgeKey;
import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Snapshot;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link TrackedLock}'s {@code holds} edge is written when someone needs to see it (a waiter, a
 * snapshot, the reaping of an ended holder), not on every acquisition: these tests pin down that
 * nothing a reader of the graph relies on is lost, and that an uncontended lock costs the journal
 * nothing.
 */
@Timeout(60)
final class DeferredHoldTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));
  private final Edges edges = new Edges(runtime);

  private EntityId me() {
    return runtime.currentTask().orElseThrow();
  }

  private List<String> journaledEdges(EntityId resource) {
    List<String> out = new ArrayList<>();
    for (Change c : runtime.journal()) {
      if (c.body() instanceof ChangeBody.UpsertEdge u && u.edge().dst().equals(resource)) {
        out.add("+" + Edges.sentence(u.edge()));
      } else if (c.body() instanceof ChangeBody.RemoveEdge r && r.key().dst().equals(resource)) {
        out.add("-" + r.key().src() + " " + r.key().kind() + " " + r.key().dst());
      }
    }
    return out;
  }

  @Test
  void uncontendedLockAndUnlock_leaveTheJournalAlone() {
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    lock.lock(); // the first use creates the thread's entity and its polls edge
    lock.unlock();
    long seq = runtime.lastSeq();
    for (int i = 0; i < 10_000; i++) {
      lock.lock();
      lock.lock();
      lock.unlock();
      if (lock.tryLock()) {
        lock.unlock();
      }
      lock.unlock();
    }
    assertThat(runtime.lastSeq()).isEqualTo(seq);
    assertThat(edges.holdsOf(lock.id())).isEmpty();
  }

  @Test
  void uncontendedSemaphoreAcquireAndRelease_leaveTheJournalAlone() throws Exception {
    TrackedSemaphore permits = new TrackedSemaphore(runtime, "connections", 4, false);
    permits.acquire(); // the first use creates the thread's entity and its polls edge
    permits.release();
    runtime.snapshot(); // and the first observation writes what is pending
    long seq = runtime.lastSeq();
    for (int i = 0; i < 10_000; i++) {
      permits.acquire(2);
      if (permits.tryAcquire()) {
        permits.release();
      }
      permits.release(2);
    }
    assertThat(runtime.lastSeq()).isEqualTo(seq);
  }

  @Test
  void aSnapshot_showsThePermitsASemaphoreHandedOut_andWhoHoldsThem() throws Exception {
    TrackedSemaphore permits = new TrackedSemaphore(runtime, "connections", 4, false);
    permits.acquire(3);
    assertThat(journaledEdges(permits.id())).noneMatch(s -> s.contains("holds"));
    assertThat(edges.blocking()).containsExactly(holds(me(), permits.id()));
    EntityBody.Semaphore body =
        (EntityBody.Semaphore) runtime.snapshot().entity(permits.id()).orElseThrow().body();
    assertThat(body.handedOutPermits()).isEqualTo(3);
    permits.release(3);
    assertThat(edges.blocking()).isEmpty();
    body = (EntityBody.Semaphore) runtime.snapshot().entity(permits.id()).orElseThrow().body();
    assertThat(body.handedOutPermits()).isZero();
  }

  @Test
  void aSnapshot_showsAHoldNobodyWaitedFor_andTheReleaseThenRemovesIt() {
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    lock.lock();
    assertThat(journaledEdges(lock.id())).noneMatch(s -> s.contains("holds"));
    assertThat(edges.blocking()).containsExactly(holds(me(), lock.id()));
    lock.unlock();
    assertThat(journaledEdges(lock.id()))
        .containsSubsequence(
            "+" + holds(me(), lock.id()), "-" + me() + " " + EdgeKind.HOLDS + " " + lock.id());
    assertThat(edges.blocking()).isEmpty();
  }

  @Test
  void aWaiter_writesTheHoldersEdge_andItsWaitIsWrittenAfterIt_whenObserved() throws Exception {
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    lock.lock();
    EntityId holder = me(); // here: Awaitility asks its conditions on a thread of its own
    AtomicReference<EntityId> other = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              other.set(runtime.currentTask().orElseThrow());
              lock.lock();
              lock.unlock();
            },
            "waiter");
    waiter.start();
    // The waiter writes the holder's edge before it parks, without anyone observing...
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> journaledEdges(lock.id()).contains("+" + holds(holder, lock.id())));
    // ...and its own wait is written when the graph is observed, after the hold.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              runtime.snapshot();
              return other.get() != null
                  && journaledEdges(lock.id()).contains("+" + waits(other.get(), lock.id()));
            });
    assertThat(journaledEdges(lock.id()))
        .containsSubsequence("+" + holds(holder, lock.id()), "+" + waits(other.get(), lock.id()));
    lock.unlock();
    waiter.join(10_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(edges.blocking()).isEmpty();
  }

  @Test
  void aThreadThatEndsHoldingTheLock_staysAsEvidenceOfTheLeak() throws Exception {
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    AtomicReference<EntityId> leaker = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              leaker.set(runtime.currentTask().orElseThrow());
              lock.lock();
            },
            "leaker");
    t.start();
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
    runtime.reapEndedThreads(); // before any snapshot: reaping must see the unwritten hold
    Snapshot s = runtime.snapshot();
    assertThat(Edges.blocking(s)).containsExactly(holds(leaker.get(), lock.id()));
    assertThat(s.entity(leaker.get())).isPresent();
  }

  @Test
  void aConditionWait_givesUpTheWrittenHold_andTheWakeTakesItBack() throws Exception {
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    var ready = lock.newCondition();
    AtomicBoolean signalled = new AtomicBoolean();
    AtomicReference<EntityId> waiter = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              waiter.set(runtime.currentTask().orElseThrow());
              lock.lock();
              try {
                while (!signalled.get()) {
                  ready.awaitUninterruptibly();
                }
              } finally {
                lock.unlock();
              }
            },
            "waiter");
    t.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                waiter.get() != null && edges.blocking().contains(waits(waiter.get(), lock.id())));
    assertThat(edges.holdsOf(lock.id())).isEmpty();
    lock.lock();
    assertThat(edges.blocking())
        .containsExactlyInAnyOrder(holds(me(), lock.id()), waits(waiter.get(), lock.id()));
    signalled.set(true);
    ready.signalAll();
    lock.unlock();
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(edges.blocking()).isEmpty();
  }

  @Test
  void underRacingHoldersAndObservers_theGraphNeverShowsTwoHoldersNorKeepsAStaleOne()
      throws Exception {
    TrackedLock lock = new TrackedLock(runtime, "accounts", false);
    AtomicInteger shown = new AtomicInteger();
    AtomicInteger mostShown = new AtomicInteger();
    AtomicLong delivered = new AtomicLong();
    Subscription sub =
        runtime.subscribe(
            c -> {
              if (c.body() instanceof ChangeBody.UpsertEdge u && isHold(u.edge(), lock)) {
                mostShown.accumulateAndGet(shown.incrementAndGet(), Math::max);
              } else if (c.body() instanceof ChangeBody.RemoveEdge r && isHold(r.key(), lock)) {
                shown.decrementAndGet();
              }
              delivered.set(c.seq());
            });
    int workers = 3;
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch observing = new CountDownLatch(1);
    AtomicBoolean working = new AtomicBoolean(true);
    // At least 20,000 holds each, and on until an observer has caught one (on a fast machine the
    // workers could otherwise be done before the observer first looks), within a bound.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
                for (int i = 0;
                    i < 20_000 || (mostShown.get() == 0 && System.nanoTime() < deadline);
                    i++) {
                  lock.lock();
                  lock.unlock();
                }
              },
              "worker-" + w);
      threads.add(t);
    }
    AtomicInteger snapshotsWithTwo = new AtomicInteger();
    Thread observer =
        new Thread(
            () -> {
              observing.countDown();
              while (working.get()) {
                if (edges.holdsOf(lock.id()).size() > 1) {
                  snapshotsWithTwo.incrementAndGet();
                }
              }
            },
            "observer");
    threads.forEach(Thread::start);
    observer.start();
    observing.await();
    start.countDown();
    for (Thread t : threads) {
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
    }
    working.set(false);
    observer.join(10_000);
    long last = runtime.lastSeq();
    await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() >= last);
    sub.close();
    assertThat(snapshotsWithTwo).hasValue(0);
    // The observers did catch holds (3 workers, 60,000 holds), and only ever one at a time.
    assertThat(mostShown).hasValue(1);
    assertThat(shown).hasValue(0);
    assertThat(edges.holdsOf(lock.id())).isEmpty();
  }

  private static boolean isHold(Edge e, TrackedLock lock) {
    return isHold(e.key(), lock);
  }

  private static boolean isHold(EdgeKey k, TrackedLock lock) {
    return k.kind() == EdgeKind.HOLDS && k.dst().equals(lock.id());
  }
}
