package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EntityBody;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.channel.TrackedArrayBlockingQueue;
import dev.moire.runtime.channel.TrackedBlockingQueue;
import dev.moire.runtime.channel.TrackedLinkedBlockingQueue;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedReadWriteLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import dev.moire.runtime.task.TrackedExecutorService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The defects an independent contract suite found in the drop-ins, each against the JDK's own
 * behaviour and javadoc, with tracking on and off: each of these failed before its fix.
 */
@Timeout(30)
final class JdkContractDefectsTest {
  private static MoireRuntime runtime(boolean tracking) {
    return MoireRuntime.create(RuntimeSettings.defaults().withEnabled(tracking));
  }

  @ParameterizedTest(name = "tracking {0}")
  @ValueSource(booleans = {true, false})
  void aSemaphoreMayStartWithNegativePermits_asTheJdksMay(boolean tracking) throws Exception {
    MoireRuntime rt = runtime(tracking);
    TrackedSemaphore s = new TrackedSemaphore(rt, "owed", -1, false);
    assertThat(s.availablePermits()).isEqualTo(-1);
    assertThat(s.tryAcquire()).isFalse();
    s.release();
    assertThat(s.tryAcquire()).isFalse();
    s.release();
    assertThat(s.tryAcquire()).isTrue();
    if (tracking) {
      assertThat(rt.snapshot().entitiesNamed("owed"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.body())
                      .isEqualTo(new EntityBody.Semaphore(1, 1))); // the debt paid, one permit out
    }
  }

  @ParameterizedTest(name = "tracking {0}")
  @ValueSource(booleans = {true, false})
  void aDeserializedSemaphore_works_withThePermitsItHad(boolean tracking) throws Exception {
    TrackedSemaphore s = new TrackedSemaphore(runtime(tracking), "pool", 3, true);
    s.acquire();
    TrackedSemaphore copy = Serial.roundTrip(s);
    assertThat(copy.availablePermits()).isEqualTo(2);
    assertThat(copy.isFair()).isTrue();
    copy.acquire();
    assertThat(copy.tryAcquire(1, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(copy.tryAcquire()).isFalse();
    copy.release(2);
    assertThat(copy.availablePermits()).isEqualTo(2);
    assertThat(s.availablePermits()).isEqualTo(2); // the copy is a semaphore of its own
  }

  @ParameterizedTest(name = "tracking {0}")
  @ValueSource(booleans = {true, false})
  void aLatch_printsItsCountAsTheJdkSpecifies(boolean tracking) {
    TrackedCountDownLatch latch = new TrackedCountDownLatch(runtime(tracking), "ready", 2);
    assertThat(latch.toString()).endsWith("[Count = 2]");
    assertThat(latch.toString()).startsWith(TrackedCountDownLatch.class.getName() + "@");
  }

  @ParameterizedTest(name = "tracking {0}")
  @ValueSource(booleans = {true, false})
  void awaitUninterruptibly_keepsWaitingWhenInterrupted_thenReassertsTheInterrupt(boolean tracking)
      throws Exception {
    MoireRuntime rt = runtime(tracking);
    TrackedLock lock = new TrackedLock(rt, "lock", false);
    checkAwaitUninterruptibly(lock, lock.newCondition());
    Lock write = new TrackedReadWriteLock(rt, "rw", false).writeLock();
    checkAwaitUninterruptibly(write, write.newCondition());
  }

  private static void checkAwaitUninterruptibly(Lock lock, Condition condition) throws Exception {
    boolean[] signalled = {false};
    boolean[] interruptedAfter = {false};
    Thread waiter =
        new Thread(
            () -> {
              lock.lock();
              try {
                while (!signalled[0]) {
                  condition.awaitUninterruptibly();
                  if (!signalled[0]) {
                    return; // returned without a signal: the defect
                  }
                }
                interruptedAfter[0] = Thread.currentThread().isInterrupted();
              } finally {
                lock.unlock();
              }
            },
            "waiter");
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
    waiter.interrupt();
    // Interrupted, it must go on waiting: it is still in the condition's wait set.
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> waiter.isAlive() && waiter.getState() == Thread.State.WAITING);
    lock.lock();
    try {
      signalled[0] = true;
      condition.signal();
    } finally {
      lock.unlock();
    }
    waiter.join(10_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(interruptedAfter[0]).as("the interrupt is re-asserted on return").isTrue();
  }

  @ParameterizedTest(name = "tracking {0}")
  @ValueSource(booleans = {true, false})
  void theReadAndWriteViews_printTheirState_asTheJdks(boolean tracking) {
    TrackedReadWriteLock rw = new TrackedReadWriteLock(runtime(tracking), "rw", false);
    ReentrantReadWriteLock jdk = new ReentrantReadWriteLock();
    rw.readLock().lock();
    jdk.readLock().lock();
    assertThat(state(rw.readLock())).isEqualTo(state(jdk.readLock())).isEqualTo("[Read locks = 1]");
    assertThat(state(rw.writeLock())).isEqualTo(state(jdk.writeLock())).isEqualTo("[Unlocked]");
    assertThat(state(rw)).isEqualTo(state(jdk)).isEqualTo("[Write locks = 0, Read locks = 1]");
    rw.readLock().unlock();
    rw.writeLock().lock();
    assertThat(state(rw.writeLock()))
        .isEqualTo("[Locked by thread " + Thread.currentThread().getName() + "]");
    rw.writeLock().unlock();
  }

  private static String state(Object o) {
    String s = o.toString();
    return s.substring(s.indexOf('[', s.indexOf('@')));
  }

  @ParameterizedTest(name = "tracking {0}")
  @ValueSource(booleans = {true, false})
  void aQueueCannotBeDrainedIntoItself(boolean tracking) {
    for (BlockingQueue<String> q : queues(tracking)) {
      drainIntoItself(q);
    }
  }

  /** Every tracked queue type, bounded to 4 (the linked one also unbounded). */
  private static List<BlockingQueue<String>> queues(boolean tracking) {
    MoireRuntime rt = runtime(tracking);
    return List.of(
        new TrackedBlockingQueue<>(rt, "q", 4),
        new TrackedArrayBlockingQueue<>(rt, "array", 4, false),
        new TrackedLinkedBlockingQueue<>(rt, "linked", 4),
        new TrackedLinkedBlockingQueue<>(rt, "unbounded", Integer.MAX_VALUE));
  }

  private static void drainIntoItself(BlockingQueue<String> q) {
    q.add("a");
    assertThatThrownBy(() -> q.drainTo(q)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> q.drainTo(q, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> q.drainTo(null)).isInstanceOf(NullPointerException.class);
    assertThat(q).containsExactly("a");
  }

  @ParameterizedTest(name = "tracking {0}")
  @ValueSource(booleans = {true, false})
  void anInterruptedCaller_getsInterruptedException_evenWhenNoWaitIsNeeded(boolean tracking) {
    for (BlockingQueue<String> q : queues(tracking)) {
      interruptedCaller(q);
    }
  }

  private static void interruptedCaller(BlockingQueue<String> q) {
    q.add("ready");
    List<ThrowingCall> calls =
        List.of(
            () -> q.put("x"),
            () -> q.offer("x", 1, TimeUnit.SECONDS),
            () -> q.offer("x", 0, TimeUnit.SECONDS),
            () -> q.offer("x", -1, TimeUnit.SECONDS),
            q::take,
            () -> q.poll(1, TimeUnit.SECONDS),
            () -> q.poll(0, TimeUnit.SECONDS));
    for (ThrowingCall call : calls) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(call::run).isInstanceOf(InterruptedException.class);
      assertThat(Thread.interrupted())
          .as("the interrupt status is cleared, as the JDK's")
          .isFalse();
    }
    assertThat(q).containsExactly("ready"); // nothing was added or taken
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  @ParameterizedTest(name = "tracking {0}")
  @ValueSource(booleans = {true, false})
  void invokeAllWithATimeout_runsWhatFitsAndCancelsTheRest(boolean tracking) throws Exception {
    AtomicInteger ran = new AtomicInteger();
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      tasks.add(
          () -> {
            ran.incrementAndGet();
            Thread.sleep(40); // work that outlasts the deadline after the first task or two
            return n;
          });
    }
    try (TrackedExecutorService inCaller =
        new TrackedExecutorService(runtime(tracking), "caller-runs", new CallerRuns())) {
      List<Future<Integer>> futures = inCaller.invokeAll(tasks, 60, TimeUnit.MILLISECONDS);
      assertThat(futures).hasSize(5);
      assertThat(ran.get()).as("tasks run after the deadline").isLessThan(5);
      assertThat(futures.get(4).isCancelled()).isTrue();
      assertThat(futures).allMatch(Future::isDone);

      ran.set(0);
      futures = inCaller.invokeAll(tasks, 0, TimeUnit.MILLISECONDS);
      assertThat(ran.get()).as("a timeout of 0 runs nothing").isZero();
      assertThat(futures).hasSize(5).allMatch(Future::isCancelled);
    }
  }

  /** An executor that runs each task in the caller, as {@code Runnable::run} does. */
  static final class CallerRuns extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
