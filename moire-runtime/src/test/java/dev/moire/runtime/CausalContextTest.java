package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EntityKind;
import dev.moire.model.ScopeKind;
import dev.moire.model.ScopeLink;
import dev.moire.model.Snapshot;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@SuppressWarnings("try") // context tokens are entered for their effect, not referenced
final class CausalContextTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));

  @Test
  void outsideAnyTask_theThreadIsRepresentedByAThreadEntity() {
    EntityId task = runtime.currentTask().orElseThrow();
    Entity entity = runtime.snapshot().entity(task).orElseThrow();
    String name = Thread.currentThread().getName();
    assertThat(entity.kind()).isEqualTo(EntityKind.THREAD);
    assertThat(entity.body()).isEqualTo(new EntityBody.Thread(name, false));
    assertThat(task.value()).startsWith("thread:p1:" + name);
    assertThat(runtime.currentTask()).contains(task);
  }

  @Test
  @Timeout(30)
  void aThreadEntity_isRemoved_afterItsThreadEnds() throws Exception {
    AtomicReference<EntityId> seen = new AtomicReference<>();
    Thread worker = new Thread(() -> seen.set(runtime.currentTask().orElseThrow()), "short-lived");
    worker.start();
    worker.join();
    assertThat(seen.get().value()).isEqualTo("thread:p1:short-lived");
    // Housekeeping reaps it on its own; a snapshot reaps first as well.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.snapshot().entity(seen.get()).isEmpty());
  }

  @Test
  @Timeout(30)
  void aThreadThatEndsHoldingSomething_staysAsEvidence_untilTheHoldGoes() throws Exception {
    EntityHandle<EntityBody.Lock> lock =
        runtime.createEntity("L", new EntityBody.Lock(EntityBody.LockKind.MUTEX));
    AtomicReference<EdgeHandle> hold = new AtomicReference<>();
    AtomicReference<EntityId> task = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              task.set(runtime.currentTask().orElseThrow());
              hold.set(lock.linkFromOwned(task.get(), EdgeKind.HOLDS, false, Optional.empty()));
            },
            "leaker");
    worker.start();
    worker.join();
    runtime.reapEndedThreads();
    Snapshot s = runtime.snapshot();
    assertThat(s.entity(task.get())).isPresent();
    assertThat(s.threads())
        .filteredOn(t -> t.entity().equals(Optional.of(task.get())))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.state()).isEqualTo(Thread.State.TERMINATED);
              assertThat(t.name()).isEqualTo("leaker");
            });
    assertThat(Findings.analyze(s, FindingSettings.defaults()))
        .extracting(Finding::explanation)
        .contains(
            "thread 'leaker' still holds lock 'L' (CausalContextTest.java:"
                + lockLine(s, lock.id())
                + ") although it has ended");

    hold.get().close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.snapshot().entity(task.get()).isEmpty());
  }

  private static int lockLine(Snapshot s, EntityId lock) {
    return s.entity(lock).orElseThrow().source().line();
  }

  @Test
  void enterTask_makesItTheCurrentTask_untilClosed() {
    EntityId thread = runtime.currentTask().orElseThrow();
    try (EntityHandle<EntityBody.Future> task =
        runtime.createEntity("job", new EntityBody.Future())) {
      try (ContextToken t = runtime.enterTask(task)) {
        assertThat(runtime.currentTask()).contains(task.id());
        try (EntityHandle<EntityBody.Future> inner =
                runtime.createEntity("inner", new EntityBody.Future());
            ContextToken t2 = runtime.enterTask(inner)) {
          assertThat(runtime.currentTask()).contains(inner.id());
        }
        assertThat(runtime.currentTask()).contains(task.id());
      }
    }
    assertThat(runtime.currentTask()).contains(thread);
  }

  @Test
  void tokens_closedOutOfOrder_areRefused() {
    EntityHandle<EntityBody.Future> a = runtime.createEntity("a", new EntityBody.Future());
    EntityHandle<EntityBody.Future> b = runtime.createEntity("b", new EntityBody.Future());
    ContextToken ta = runtime.enterTask(a);
    ContextToken tb = runtime.enterTask(b);
    assertThatThrownBy(ta::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("task 'future:p1:a' left out of order: the innermost task is 'future:p1:b'");
    tb.close();
    assertThatThrownBy(tb::close).hasMessage("context token is already closed");
  }

  @Test
  void enterTask_withAClosedHandle_isRefused() {
    EntityHandle<EntityBody.Future> a = runtime.createEntity("a", new EntityBody.Future());
    a.close();
    assertThatThrownBy(() -> runtime.enterTask(a))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("entity 'future:p1:a' is closed");
  }

  @Test
  @Timeout(30)
  void entities_joinTheCurrentScopes_alsoFromThreadsStartedInThem() throws Exception {
    try (ScopeHandle test = runtime.openScope("MyTest.works()", ScopeKind.TEST);
        ContextToken entered = runtime.enterScope(test)) {
      EntityHandle<EntityBody.Lock> mine =
          runtime.createEntity("mine", new EntityBody.Lock(EntityBody.LockKind.MUTEX));
      AtomicReference<EntityId> fromChild = new AtomicReference<>();
      Thread child =
          new Thread(
              () -> fromChild.set(runtime.createEntity("child", new EntityBody.Latch(1)).id()));
      child.start();
      child.join();
      Snapshot s = runtime.snapshot();
      assertThat(s.membersOf(test.id()))
          .contains(mine.id(), fromChild.get())
          .allSatisfy(
              id -> assertThat(s.links()).contains(new ScopeLink(id, runtime.processScope())));
    }
    EntityHandle<EntityBody.Lock> after =
        runtime.createEntity("after", new EntityBody.Lock(EntityBody.LockKind.MUTEX));
    assertThat(runtime.snapshot().links())
        .filteredOn(l -> l.entity().equals(after.id()))
        .extracting(ScopeLink::scope)
        .containsExactly(runtime.processScope());
  }

  @Test
  @Timeout(30)
  void threadTable_showsABlockedThread_withItsStateBlockerAndEntity() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<EntityId> task = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              task.set(runtime.currentTask().orElseThrow());
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "waiter");
    waiter.start();
    entered.await();
    Thread untracked = new Thread(() -> {}, "never-started");
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
      Snapshot s = runtime.snapshot(List.of(untracked));
      ThreadSnapshot row =
          s.threads().stream().filter(t -> t.name().equals("waiter")).findFirst().orElseThrow();
      assertThat(row.state()).isEqualTo(Thread.State.WAITING);
      assertThat(row.isBlocked()).isTrue();
      assertThat(row.blocker()).get().asString().contains("CountDownLatch");
      assertThat(row.entity()).contains(task.get());
      assertThat(row.topFrames()).isNotEmpty();
      assertThat(s.threads())
          .filteredOn(t -> t.name().equals("never-started"))
          .singleElement()
          .satisfies(t -> assertThat(t.state()).isEqualTo(Thread.State.NEW));
    } finally {
      release.countDown();
      waiter.join();
    }
  }
}
