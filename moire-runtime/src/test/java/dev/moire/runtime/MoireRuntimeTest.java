package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.PTime;
import dev.moire.model.ScopeKind;
import dev.moire.model.Snapshot;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // subscriptions are held for their effect, not referenced
final class MoireRuntimeTest {
  private final ManualClock clock = new ManualClock();
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"), clock);

  private static EntityBody.Lock mutex() {
    return new EntityBody.Lock(EntityBody.LockKind.MUTEX);
  }

  private List<String> changeKindsAfter(long seq) {
    return runtime.journal().stream()
        .filter(c -> c.seq() > seq)
        .map(c -> c.body().kindName())
        .toList();
  }

  @Test
  void createEntity_hasTheDesignedId_andIsInTheSnapshot() {
    try (EntityHandle<EntityBody.Lock> lock = runtime.createEntity("accounts", mutex())) {
      assertThat(lock.id()).isEqualTo(EntityId.of("lock:p1:accounts"));
      Entity e = runtime.snapshot().entity(lock.id()).orElseThrow();
      assertThat(e.name()).isEqualTo("accounts");
      assertThat(e.body()).isEqualTo(mutex());
    }
    assertThat(runtime.snapshot().entities()).isEmpty();
  }

  @Test
  void createEntity_fromATest_reportsTheTestFileAndLine() {
    int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
    try (EntityHandle<EntityBody.Lock> lock = runtime.createEntity("here", mutex())) {
      Entity e = runtime.snapshot().entity(lock.id()).orElseThrow();
      assertThat(e.source().file()).isEqualTo("MoireRuntimeTest.java");
      assertThat(e.source().line()).isEqualTo(line);
      assertThat(e.source().className()).isEqualTo(MoireRuntimeTest.class.getName());
      assertThat(e.source().method()).isEqualTo("createEntity_fromATest_reportsTheTestFileAndLine");
    }
  }

  @Test
  void repeatedNames_getANumberAppended_perFamily() {
    EntityHandle<EntityBody.Lock> a = runtime.createEntity("accounts", mutex());
    EntityHandle<EntityBody.Lock> b = runtime.createEntity("accounts", mutex());
    EntityHandle<EntityBody.Latch> c = runtime.createEntity("accounts", new EntityBody.Latch(1));
    a.close();
    EntityHandle<EntityBody.Lock> d = runtime.createEntity("accounts", mutex());
    assertThat(List.of(a.id(), b.id(), c.id(), d.id()))
        .extracting(EntityId::value)
        .containsExactly(
            "lock:p1:accounts", "lock:p1:accounts#2", "latch:p1:accounts", "lock:p1:accounts#3");
    assertThat(b.name()).isEqualTo("accounts#2");
  }

  @Test
  void createPair_sharesOneName_andPairsTheEnds() {
    EntityPair<EntityBody.MpscTx, EntityBody.MpscRx> one =
        runtime.createPair(
            "jobs", EntityBody.MpscTx.open(OptionalInt.of(16)), new EntityBody.MpscRx(0));
    EntityPair<EntityBody.MpscTx, EntityBody.MpscRx> two =
        runtime.createPair(
            "jobs", EntityBody.MpscTx.open(OptionalInt.of(16)), new EntityBody.MpscRx(0));
    assertThat(one.first().id()).hasToString("mpsc:p1:jobs:tx");
    assertThat(one.second().id()).hasToString("mpsc:p1:jobs:rx");
    assertThat(two.first().id()).hasToString("mpsc:p1:jobs#2:tx");
    assertThat(two.second().id()).hasToString("mpsc:p1:jobs#2:rx");
    assertThat(runtime.snapshot().edgesOfKind(EdgeKind.PAIRED_WITH))
        .extracting(Edge::toString)
        .containsExactly(
            "mpsc:p1:jobs#2:tx paired_with mpsc:p1:jobs#2:rx",
            "mpsc:p1:jobs:tx paired_with mpsc:p1:jobs:rx");
    one.second().close();
    assertThat(runtime.snapshot().edgesOfKind(EdgeKind.PAIRED_WITH)).hasSize(1);
  }

  @Test
  void createPair_ofTwoFamilies_isRefused() {
    assertThatThrownBy(
            () ->
                runtime.createPair("x", new EntityBody.OneshotTx(false), new EntityBody.MpscRx(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a pair must be of one family: oneshot_tx and mpsc_rx");
  }

  @Test
  void mutate_toAnEqualBody_recordsNoChange() {
    EntityHandle<EntityBody.Latch> latch = runtime.createEntity("ready", new EntityBody.Latch(2));
    long before = runtime.lastSeq();
    assertThat(latch.mutate(b -> new EntityBody.Latch(b.count()))).isFalse();
    assertThat(latch.mutate(b -> b)).isFalse();
    assertThat(runtime.lastSeq()).isEqualTo(before);
    assertThat(runtime.journal()).hasSize((int) before);

    assertThat(latch.mutate(b -> new EntityBody.Latch(b.count() - 1))).isTrue();
    assertThat(changeKindsAfter(before)).containsExactly("upsert_entity");
    assertThat(latch.body()).isEqualTo(new EntityBody.Latch(1));
    assertThat(runtime.snapshot().entity(latch.id()).orElseThrow().body())
        .isEqualTo(new EntityBody.Latch(1));
  }

  @Test
  void close_removesEdgesAndLinksFirst_eachAsItsOwnChange() {
    EntityHandle<EntityBody.Lock> lock = runtime.createEntity("l", mutex());
    EntityId task = runtime.currentTask().orElseThrow();
    lock.linkFrom(task, EdgeKind.POLLS);
    long before = runtime.lastSeq();
    lock.close();
    assertThat(changeKindsAfter(before))
        .containsExactly("remove_edge", "unlink_entity_scope", "remove_entity");
  }

  @Test
  void clones_keepTheEntityAlive_untilTheLastIsClosed() {
    EntityHandle<EntityBody.Lock> a = runtime.createEntity("l", mutex());
    EntityHandle<EntityBody.Lock> b = a.clone();
    EntityHandle<EntityBody.Lock> c = b.clone();
    a.close();
    c.close();
    assertThat(b.isAlive()).isTrue();
    assertThat(runtime.snapshot().entities()).hasSize(1);
    b.close();
    assertThat(b.isAlive()).isFalse();
    assertThat(runtime.snapshot().entities()).isEmpty();
  }

  @Test
  void closedHandle_refusesUse_namingTheEntity() {
    EntityHandle<EntityBody.Lock> lock = runtime.createEntity("accounts", mutex());
    lock.close();
    assertThatThrownBy(() -> lock.mutate(b -> b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("entity 'lock:p1:accounts' is closed");
    assertThatThrownBy(lock::clone).hasMessage("entity 'lock:p1:accounts' is closed");
    assertThatThrownBy(() -> lock.linkTo(lock.id(), EdgeKind.POLLS))
        .hasMessage("entity 'lock:p1:accounts' is closed");
    assertThatThrownBy(lock::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("entity 'lock:p1:accounts' is already closed");
  }

  @Test
  void badNames_areRefused_withTheRule() {
    assertThatThrownBy(() -> runtime.createEntity(null, mutex()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("entity name must not be null");
    assertThatThrownBy(() -> runtime.createEntity(" ", mutex()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity name must not be blank: ' '");
    assertThatThrownBy(() -> runtime.openScope("", ScopeKind.TEST))
        .hasMessage("scope name must not be blank: ''");
    assertThatThrownBy(() -> RuntimeSettings.defaults().withJournalCapacity(-5))
        .hasMessage("journal capacity must be positive: -5");
  }

  @Test
  void weakHandle_updatesWhileAlive_andIsANoOpAfter() {
    EntityPair<EntityBody.MpscTx, EntityBody.MpscRx> pair =
        runtime.createPair(
            "q", EntityBody.MpscTx.open(OptionalInt.empty()), new EntityBody.MpscRx(0));
    WeakEntityHandle<EntityBody.MpscTx> weakTx = pair.first().downgrade();
    pair.first().mutate(b -> new EntityBody.MpscTx(2, b.capacity(), 2, 1, 2));
    assertThat(
            weakTx.mutate(
                b ->
                    new EntityBody.MpscTx(b.queueLen() - 1, b.capacity(), b.highWatermark(), 1, 2)))
        .isTrue();
    assertThat(pair.first().body().queueLen()).isEqualTo(1);
    pair.first().close();
    long before = runtime.lastSeq();
    assertThat(weakTx.isAlive()).isFalse();
    assertThat(weakTx.mutate(b -> new EntityBody.MpscTx(0, b.capacity(), 0, 0, 0))).isFalse();
    assertThat(runtime.lastSeq()).isEqualTo(before);
  }

  @Test
  void edgeHandle_removesItsEdge_andRefusesASecondClose() {
    EntityHandle<EntityBody.Lock> lock = runtime.createEntity("l", mutex());
    EntityId task = runtime.currentTask().orElseThrow();
    clock.advance(500);
    EdgeHandle waiting = lock.linkFromOwned(task, EdgeKind.WAITING_ON, true, Optional.empty());
    Edge edge = runtime.snapshot().edgesOfKind(EdgeKind.WAITING_ON).get(0);
    assertThat(edge.timed()).isTrue();
    assertThat(edge.src()).isEqualTo(task);
    assertThat(edge.since()).isEqualTo(PTime.ofNanos(500));
    waiting.close();
    assertThat(runtime.snapshot().edgesOfKind(EdgeKind.WAITING_ON)).isEmpty();
    assertThatThrownBy(waiting::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("edge '" + task + " waiting_on lock:p1:l' is already closed");
  }

  @Test
  void linkTo_isIdempotent() {
    EntityHandle<EntityBody.Lock> lock = runtime.createEntity("l", mutex());
    EntityId task = runtime.currentTask().orElseThrow();
    lock.linkFrom(task, EdgeKind.POLLS);
    long before = runtime.lastSeq();
    lock.linkFrom(task, EdgeKind.POLLS);
    assertThat(runtime.lastSeq()).isEqualTo(before);
  }

  @Test
  void events_areRecordedWithTheirTargetAndSource() {
    EntityHandle<EntityBody.MpscRx> rx = runtime.createEntity("r", new EntityBody.MpscRx(0));
    rx.recordEvent(new EventBody.ChannelReceived(java.util.OptionalLong.of(10), false));
    Snapshot s = runtime.snapshot();
    assertThat(s.eventsOf(rx.id()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source().file()).isEqualTo("MoireRuntimeTest.java");
              assertThat(e.id()).isEqualTo(s.seq());
            });
  }

  @Test
  void journal_keepsTheMostRecentChanges_inSequence() {
    MoireRuntime small =
        MoireRuntime.create(RuntimeSettings.defaults().withJournalCapacity(8), clock);
    EntityHandle<EntityBody.Latch> latch = small.createEntity("l", new EntityBody.Latch(100));
    for (int i = 99; i >= 50; i--) {
      long count = i;
      latch.mutate(b -> new EntityBody.Latch(count));
    }
    List<Change> journal = small.journal();
    assertThat(journal).hasSize(8);
    assertThat(journal.get(7).seq()).isEqualTo(small.lastSeq());
    for (int i = 1; i < journal.size(); i++) {
      assertThat(journal.get(i).seq()).isEqualTo(journal.get(i - 1).seq() + 1);
    }
  }

  @Test
  void subscribers_receiveEveryChange_inOrder_andTheirFaultsAreContained() {
    List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> deliveredOn = new java.util.concurrent.CopyOnWriteArrayList<>();
    long start = runtime.lastSeq();
    try (Subscription s =
        runtime.subscribe(
            c -> {
              seen.add(c.seq());
              if (c.body() instanceof ChangeBody.RemoveEntity) {
                throw new IllegalStateException("listener bug");
              }
            })) {
      runtime.createEntity("a", mutex()).close();
      runtime.createEntity("b", mutex()).close();
      org.awaitility.Awaitility.await().until(() -> seen.size() == 8);
    }
    runtime.createEntity("c", mutex()).close();
    assertThat(seen).hasSize(8);
    assertThat(deliveredOn).allMatch(name -> name.startsWith("moire-dispatch-"));
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i)).isEqualTo(start + 1 + i);
    }
    assertThat(runtime.faultCount()).isEqualTo(2);
  }

  @Test
  void faultsOfTheBookkeeping_neverReachTheCaller() {
    EntityHandle<EntityBody.Latch> latch = runtime.createEntity("l", new EntityBody.Latch(1));
    assertThat(latch.mutate(b -> new EntityBody.Latch(b.count() - 5))).isFalse();
    assertThat(latch.mutate(b -> null)).isFalse();
    assertThat(runtime.faultCount()).isEqualTo(2);
    assertThat(latch.body()).isEqualTo(new EntityBody.Latch(1));
  }
}
