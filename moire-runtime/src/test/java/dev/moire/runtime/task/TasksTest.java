package dev.moire.runtime.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EntityKind;
import dev.moire.model.EventBody;
import dev.moire.model.ScopeId;
import dev.moire.model.ScopeKind;
import dev.moire.model.Snapshot;
import dev.moire.runtime.ContextToken;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.ScopeHandle;
import dev.moire.runtime.sync.TrackedLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
@SuppressWarnings("try") // context tokens are entered for their effect
final class TasksTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));

  private boolean hasEdge(EntityId src, EdgeKind kind, EntityId dst) {
    return runtime.snapshot().edges().stream()
        .anyMatch(e -> e.src().equals(src) && e.kind() == kind && e.dst().equals(dst));
  }

  private Optional<Edge> waitingOn(EntityId dst) {
    return waitingOn(runtime, dst);
  }

  private static Optional<Edge> waitingOn(MoireRuntime in, EntityId dst) {
    return in.snapshot().edges().stream()
        .filter(e -> e.kind() == EdgeKind.WAITING_ON && e.dst().equals(dst))
        .findFirst();
  }

  @Test
  void executorTasks_areFutureEntities_inTheSubmittersTestScope_andTheirOwnTaskScope()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<EntityId> current = new AtomicReference<>();
    AtomicReference<EntityId> madeInside = new AtomicReference<>();
    try (ScopeHandle test = runtime.openScope("Pool.test()", ScopeKind.TEST);
        ContextToken in = runtime.enterScope(test);
        TrackedExecutorService pool =
            new TrackedExecutorService(runtime, "workers", Executors.newFixedThreadPool(2))) {
      TrackedFuture<String> f =
          pool.submit(
              () -> {
                current.set(runtime.currentTask().orElseThrow());
                madeInside.set(runtime.createEntity("inside", new EntityBody.Latch(1)).id());
                release.await();
                return "done";
              });
      assertThat(f.taskId()).hasToString("future:p1:workers");
      await().until(() -> madeInside.get() != null);
      assertThat(current.get()).isEqualTo(f.taskId());
      Snapshot s = runtime.snapshot();
      ScopeId taskScope =
          s.scopes().stream()
              .filter(sc -> sc.kind() == ScopeKind.TASK)
              .findFirst()
              .orElseThrow()
              .id();
      assertThat(s.membersOf(test.id())).contains(f.taskId(), madeInside.get());
      assertThat(s.membersOf(taskScope)).contains(f.taskId(), madeInside.get());

      CompletableFuture<String> caller = new CompletableFuture<>();
      AtomicReference<EntityId> callerTask = new AtomicReference<>();
      Thread getter =
          new Thread(
              () -> {
                callerTask.set(runtime.currentTask().orElseThrow());
                try {
                  caller.complete(f.get());
                } catch (Exception e) {
                  caller.completeExceptionally(e);
                }
              });
      getter.start();
      await().until(() -> waitingOn(f.taskId()).isPresent());
      assertThat(waitingOn(f.taskId()).orElseThrow().src()).isEqualTo(callerTask.get());
      release.countDown();
      assertThat(caller.get()).isEqualTo("done");
      await().until(() -> runtime.snapshot().entity(f.taskId()).isEmpty());
      assertThat(runtime.snapshot().scopes()).noneMatch(sc -> sc.kind() == ScopeKind.TASK);
    }
  }

  @Test
  void executor_keepsShutdownAndRejection_andCleansUpTasksThatNeverRan() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    TrackedExecutorService pool = new TrackedExecutorService(runtime, "one", single);
    CountDownLatch block = new CountDownLatch(1);
    pool.submit(
        () -> {
          block.await();
          return null;
        });
    TrackedFuture<?> queued = pool.submit(() -> {});
    TrackedFuture<?> cancelled = pool.submit(() -> {});
    assertThat(cancelled.cancel(false)).isTrue();
    assertThat(runtime.snapshot().entity(cancelled.taskId())).isEmpty();
    List<Runnable> neverRun = pool.shutdownNow();
    assertThat(neverRun).isNotEmpty();
    assertThat(pool.isShutdown()).isTrue();
    assertThat(runtime.snapshot().entity(queued.taskId())).isEmpty();
    assertThatThrownBy(() -> pool.submit(() -> {})).isInstanceOf(RejectedExecutionException.class);
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runtime.snapshot().entitiesOfKind(EntityKind.FUTURE)).isEmpty();
  }

  @Test
  void executorTasks_showWhichTaskWaitsOnWhat() throws Exception {
    TrackedLock lock = new TrackedLock(runtime, "L", false);
    lock.lock();
    try (TrackedExecutorService pool =
        new TrackedExecutorService(runtime, "workers", Executors.newCachedThreadPool())) {
      TrackedFuture<?> f =
          pool.submit(
              () -> {
                lock.lock();
                lock.unlock();
              });
      await().until(() -> hasEdge(f.taskId(), EdgeKind.WAITING_ON, lock.id()));
      lock.unlock();
      f.get();
    }
  }

  @Test
  void invokeAll_waitsTracked_onEachTask_andKeepsTheJdkSemantics() throws Exception {
    try (TrackedExecutorService pool =
        new TrackedExecutorService(runtime, "batch", Executors.newFixedThreadPool(2))) {
      CountDownLatch release = new CountDownLatch(1);
      AtomicReference<EntityId> caller = new AtomicReference<>();
      CompletableFuture<List<java.util.concurrent.Future<Integer>>> all = new CompletableFuture<>();
      new Thread(
              () -> {
                caller.set(runtime.currentTask().orElseThrow());
                try {
                  all.complete(
                      pool.invokeAll(
                          List.of(
                              () -> 1,
                              () -> {
                                release.await();
                                return 2;
                              },
                              () -> {
                                throw new IllegalStateException("three failed");
                              })));
                } catch (Exception e) {
                  all.completeExceptionally(e);
                }
              })
          .start();
      await()
          .until(
              () ->
                  runtime.snapshot().edges().stream()
                      .anyMatch(
                          e -> e.kind() == EdgeKind.WAITING_ON && e.src().equals(caller.get())));
      release.countDown();
      List<java.util.concurrent.Future<Integer>> futures = all.get();
      assertThat(futures).hasSize(3).allMatch(java.util.concurrent.Future::isDone);
      assertThat(futures.get(0).get()).isEqualTo(1);
      assertThat(futures.get(1).get()).isEqualTo(2);
      assertThatThrownBy(() -> futures.get(2).get())
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("three failed");

      CountDownLatch never = new CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> timed =
          pool.invokeAll(
              List.of(
                  () -> 1,
                  () -> {
                    never.await();
                    return 2;
                  }),
              100,
              TimeUnit.MILLISECONDS);
      assertThat(timed.get(0).get()).isEqualTo(1);
      assertThat(timed.get(1).isCancelled()).isTrue();
    }
  }

  @Test
  void threadFactory_runsEachThreadAsATrackedTask() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<EntityId> current = new AtomicReference<>();
    Thread t =
        TrackedThreadFactory.platform(runtime, "worker")
            .newThread(
                () -> {
                  current.set(runtime.currentTask().orElseThrow());
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    assertThat(t.getName()).isEqualTo("worker-1");
    t.start();
    await().until(() -> current.get() != null);
    Entity task = runtime.snapshot().entity(current.get()).orElseThrow();
    assertThat(task.kind()).isEqualTo(EntityKind.FUTURE);
    assertThat(task.name()).isEqualTo("worker-1");
    release.countDown();
    t.join();
    assertThat(runtime.snapshot().entity(current.get())).isEmpty();
  }

  /** Futures made at one line, as a client makes one per request. */
  private static TrackedCompletableFuture<String> request(MoireRuntime in) {
    return new TrackedCompletableFuture<>(in, "reply");
  }

  @Test
  @Timeout(30)
  void aWaitedOnFuture_namesWhereOthersMadeAtItsLineWereCompleted() throws Exception {
    MoireRuntime perOperation =
        MoireRuntime.create(
            RuntimeSettings.defaults().withProcessName("p2").withPerOperationSources(true));
    TrackedCompletableFuture<String> first = request(perOperation);
    TrackedCompletableFuture<String> second = request(perOperation);
    int completeLine = new Throwable().getStackTrace()[0].getLineNumber() + 1;
    Thread network = new Thread(() -> first.complete("42"), "network");
    network.start();
    network.join();
    Thread waiter = new Thread(() -> second.join(), "waiter");
    waiter.setDaemon(true);
    waiter.start();
    await().until(() -> waitingOn(perOperation, second.id()).isPresent());
    EntityBody.OneshotRx rx =
        (EntityBody.OneshotRx) perOperation.snapshot().entity(second.id()).orElseThrow().body();
    assertThat(rx.completedAlike()).hasSize(1);
    assertThat(rx.completedAlike().get(0).at().location())
        .isEqualTo("TasksTest.java:" + completeLine);
    assertThat(rx.completedAlike().get(0).threads()).containsExactly("network");
    second.complete("43");
    waiter.join();

    // Without per-operation sources (and without the agent) no completing line is known.
    TrackedCompletableFuture<String> plain = request(runtime);
    request(runtime).complete("x");
    Thread other = new Thread(() -> plain.join(), "other");
    other.setDaemon(true);
    other.start();
    await().until(() -> waitingOn(plain.id()).isPresent());
    assertThat(
            ((EntityBody.OneshotRx) runtime.snapshot().entity(plain.id()).orElseThrow().body())
                .completedAlike())
        .isEmpty();
    plain.complete("y");
    other.join();
  }

  @Test
  void completableFuture_waitsAreWaitingOn_andCompletingIsASend() throws Exception {
    TrackedCompletableFuture<String> reply = new TrackedCompletableFuture<>(runtime, "reply");
    assertThat(reply.id()).hasToString("oneshot:p1:reply:rx");
    EntityId tx = EntityId.of("oneshot:p1:reply:tx");
    CompletableFuture<String> joined = new CompletableFuture<>();
    new Thread(() -> joined.complete(reply.join())).start();
    await().until(() -> waitingOn(reply.id()).isPresent());
    List<EventBody> sentEvents = new ArrayList<>();
    try (var sub =
        runtime.subscribe(
            c -> {
              if (c.body() instanceof dev.moire.model.ChangeBody.AppendEvent e
                  && e.event().target().is(tx)) {
                sentEvents.add(e.event().body());
              }
            })) {
      assertThat(reply.complete("hi")).isTrue();
      assertThat(joined.get()).isEqualTo("hi");
      await().until(() -> !sentEvents.isEmpty());
    }
    assertThat(sentEvents)
        .containsExactly(new EventBody.ChannelSent(java.util.OptionalLong.empty(), false));
    assertThat(runtime.snapshot().entity(reply.id())).isEmpty();
    assertThat(reply.complete("again")).isFalse(); // the JDK's double completion
    assertThat(reply.get()).isEqualTo("hi");

    TrackedCompletableFuture<String> failing = new TrackedCompletableFuture<>(runtime, "f");
    failing.completeExceptionally(new IllegalStateException("no"));
    assertThatThrownBy(failing::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(failing::join).isInstanceOf(java.util.concurrent.CompletionException.class);
    assertThat(failing.thenApply(String::length)).isCompletedExceptionally();
  }

  @Test
  void joinSet_returnsResultsInFinishingOrder_andWaitsOnTheSet() throws Exception {
    ExecutorService exec = Executors.newCachedThreadPool();
    try (JoinSet<Integer> set = new JoinSet<>(runtime, "fanout", exec)) {
      CountDownLatch slow = new CountDownLatch(1);
      set.spawn(
          () -> {
            slow.await();
            return 1;
          });
      set.spawn(() -> 2);
      assertThat(set.joinNext()).contains(2);
      CompletableFuture<Optional<Integer>> next = new CompletableFuture<>();
      new Thread(
              () -> {
                try {
                  next.complete(set.joinNext());
                } catch (Exception e) {
                  next.completeExceptionally(e);
                }
              })
          .start();
      await().until(() -> waitingOn(set.id()).isPresent());
      slow.countDown();
      assertThat(next.get()).contains(1);
      assertThat(set.joinNext()).isEmpty();
      set.spawn(
          () -> {
            throw new IllegalStateException("task failed");
          });
      assertThatThrownBy(set::joinNext)
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("task failed");
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void joinSet_reportsATaskCancelledBeforeItRan_insteadOfWaitingForIt() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try (JoinSet<Integer> set = new JoinSet<>(runtime, "queued", single)) {
      CountDownLatch release = new CountDownLatch(1);
      set.spawn(
          () -> {
            release.await();
            return 1;
          });
      TrackedFuture<Integer> never = set.spawn(() -> 2);
      assertThat(never.cancel(false)).isTrue();
      assertThat(never.cancel(false)).isFalse(); // the JDK's answer to a second cancel
      assertThatThrownBy(set::joinNext)
          .isInstanceOf(java.util.concurrent.CancellationException.class)
          .hasMessage("task '" + never.taskId() + "' was cancelled");
      release.countDown();
      assertThat(set.joinNext()).contains(1);
      assertThat(set.joinNext()).isEmpty();
      assertThat(set.size()).isZero();
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  void rpc_pairsRequestWithResponse_whoseSourceIsTheHandler() {
    Rpc rpc = Rpc.on(runtime);
    try (Rpc.Request req = rpc.request("Orders.place")) {
      int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
      try (Rpc.Response res = rpc.respond(req.id(), "Orders.place")) {
        assertThat(hasEdge(req.id(), EdgeKind.PAIRED_WITH, res.id())).isTrue();
        Entity response = runtime.snapshot().entity(res.id()).orElseThrow();
        assertThat(response.source().line()).isEqualTo(line);
        assertThat(res.status()).isEqualTo(EntityBody.ResponseStatus.PENDING);
        res.ok();
        assertThat(runtime.snapshot().eventsOf(res.id()))
            .extracting(e -> e.body())
            .containsExactly(new EventBody.StateChanged("pending", "ok"));
      }
    }
    assertThat(runtime.snapshot().entitiesOfKind(EntityKind.RESPONSE)).isEmpty();
  }
}
