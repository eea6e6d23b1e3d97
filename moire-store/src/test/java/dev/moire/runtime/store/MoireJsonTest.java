package dev.moire.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moire.model.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class MoireJsonTest {

  @Test
  void everyBodyKind_roundTrips_unchanged() {
    List<EntityBody> bodies = Samples.everyBody();
    Set<EntityKind> covered = bodies.stream().map(EntityBody::kind).collect(Collectors.toSet());
    assertThat(covered).containsExactlyInAnyOrder(EntityKind.values());
    for (EntityBody body : bodies) {
      Entity entity = Samples.entity(body.kind().idFor("p1", "x").value(), body);
      String json = MoireJson.write(entity);
      assertThat(MoireJson.read(json, Entity.class)).as(json).isEqualTo(entity);
      assertThat(json).contains("\"kind\":\"" + body.kind().wireName() + "\"");
    }
  }

  @Test
  void aSemaphoreStoredBeforeHandOffsExisted_readsWithKnownHolders() {
    String old = MoireJson.write(new EntityBody.Semaphore(4, 3)).replace(",\"hand_off\":null", "");
    assertThat(old).doesNotContain("hand_off");
    EntityBody.Semaphore read = (EntityBody.Semaphore) MoireJson.read(old, EntityBody.class);
    assertThat(read).isEqualTo(new EntityBody.Semaphore(4, 3));
    assertThat(read.holdersKnown()).isTrue();
    assertThat(MoireJson.write(new EntityBody.Semaphore(2, 1, java.util.Optional.of("A.java:3"))))
        .contains("\"hand_off\":\"A.java:3\"");
  }

  @Test
  void aLatchAndAFutureStoredBeforeTheirSitesExisted_readWithNone() {
    assertThat(MoireJson.read("{\"kind\":\"latch\",\"count\":2}", EntityBody.class))
        .isEqualTo(new EntityBody.Latch(2));
    assertThat(MoireJson.read("{\"kind\":\"oneshot_rx\",\"future\":true}", EntityBody.class))
        .isEqualTo(new EntityBody.OneshotRx(true));
    assertThat(
            MoireJson.write(
                new EntityBody.Latch(
                    1,
                    List.of(
                        new dev.moire.model.OperationSite(Samples.SOURCE, List.of("a"), false)))))
        .contains("\"counted_down\":[{\"at\":{")
        .contains("\"threads\":[\"a\"],\"more_threads\":false}]");
  }

  @Test
  void aChannelEventStoredBeforeRunsWereCounted_readsAsOneOperation() {
    String old = "{\"kind\":\"channel_sent\",\"closed\":false}";
    assertThat(MoireJson.read(old, EventBody.class))
        .isEqualTo(new EventBody.ChannelSent(java.util.OptionalLong.empty(), false));
    assertThat(MoireJson.write(EventBody.ChannelReceived.run(7, 900)))
        .contains("\"count\":7")
        .contains("\"span_ns\":900");
    assertThatThrownBy(
            () ->
                MoireJson.read(
                    "{\"kind\":\"channel_sent\",\"closed\":true,\"count\":3}", EventBody.class))
        .hasMessageContaining("a run of 3 sends is of sends that neither waited nor were closed");
  }

  @Test
  void everyChangeKind_roundTrips_unchanged() {
    List<ChangeBody> bodies = Samples.everyChange();
    Set<Class<?>> kinds = bodies.stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(kinds).containsExactlyInAnyOrder(ChangeBody.class.getPermittedSubclasses());
    long seq = 1;
    for (ChangeBody body : bodies) {
      Change change = new Change(seq++, PTime.ofNanos(seq * 100), body);
      String json = MoireJson.write(change);
      assertThat(MoireJson.read(json, Change.class)).as(json).isEqualTo(change);
      assertThat(json).contains("\"kind\":\"" + body.kindName() + "\"");
    }
  }

  @Test
  void everyEventKind_roundTrips_unchanged() {
    Set<Class<?>> kinds =
        Samples.everyEvent().stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(kinds).containsExactlyInAnyOrder(EventBody.class.getPermittedSubclasses());
    for (EventBody body : Samples.everyEvent()) {
      Event event =
          new Event(3, EventTarget.of(ScopeId.of("test:p1:t")), PTime.ZERO, Samples.SOURCE, body);
      assertThat(MoireJson.read(MoireJson.write(event), Event.class)).isEqualTo(event);
    }
  }

  @Test
  void snapshot_roundTrips_unchanged() {
    GraphState g = new GraphState(100);
    long seq = 1;
    for (ChangeBody body : Samples.everyChange()) {
      g.apply(new Change(seq++, PTime.ofNanos(seq), body));
    }
    ThreadSnapshot thread =
        new ThreadSnapshot(
                7,
                "worker-1",
                false,
                Thread.State.WAITING,
                Optional.of("java.util.concurrent.locks.ReentrantLock$NonfairSync@1b2c"),
                Optional.empty(),
                List.of(Samples.SOURCE),
                Optional.of(EntityId.of("future:p1:a")))
            .withSignals(
                Optional.of(Samples.SOURCE),
                List.of(
                    new dev.moire.model.OperationSite(Samples.SOURCE, List.of("postman"), false)));
    Snapshot snapshot =
        g.toSnapshot(new RuntimeInfo("p1", 42, 1_700_000_000_000L), List.of(thread));
    assertThat(MoireJson.read(MoireJson.write(snapshot), Snapshot.class)).isEqualTo(snapshot);
  }

  @Test
  void wireFormat_isSnakeCase_andOmitsAbsentValues() {
    Entity tx =
        Samples.entity(
            "mpsc:p1:jobs:tx", new EntityBody.MpscTx(3, java.util.OptionalInt.empty(), 7, 2, 120));
    assertThat(MoireJson.write(tx))
        .isEqualTo(
            "{\"id\":\"mpsc:p1:jobs:tx\",\"name\":\"n-mpsc:p1:jobs:tx\","
                + "\"source\":{\"file\":\"Bank.java\",\"line\":42,\"class_name\":\"com.example.Bank\","
                + "\"method\":\"transfer\"},\"birth\":10,\"body\":{\"kind\":\"mpsc_tx\","
                + "\"queue_len\":3,\"high_watermark\":7,\"sender_count\":2,\"sent_total\":120}}");
  }

  @Test
  void kindStrings_areTheDesignedSnakeCaseNames() {
    assertThat(Arrays.stream(EntityKind.values()).map(EntityKind::wireName))
        .containsExactly(
            "future",
            "thread",
            "lock",
            "mpsc_tx",
            "mpsc_rx",
            "broadcast_tx",
            "broadcast_rx",
            "watch_tx",
            "watch_rx",
            "oneshot_tx",
            "oneshot_rx",
            "semaphore",
            "notify",
            "once_cell",
            "latch",
            "request",
            "response",
            "custom");
    assertThat(Arrays.stream(EdgeKind.values()).map(EdgeKind::wireName))
        .containsExactly("polls", "waiting_on", "paired_with", "holds");
    List<String> changeKinds = new ArrayList<>();
    Samples.everyChange().forEach(c -> changeKinds.add(c.kindName()));
    assertThat(changeKinds)
        .containsExactly(
            "upsert_entity",
            "remove_entity",
            "upsert_scope",
            "remove_scope",
            "link_entity_scope",
            "unlink_entity_scope",
            "upsert_edge",
            "remove_edge",
            "append_event");
  }

  @Test
  void read_ofInvalidJson_namesTheTypeAndTheProblem() {
    assertThatThrownBy(() -> MoireJson.read("{\"kind\":\"upsert_entity\"", Change.class))
        .isInstanceOf(MoireJsonException.class)
        .hasMessageStartingWith("not a valid Change in JSON: ");
    assertThatThrownBy(() -> MoireJson.read("{\"kind\":\"teleport\"}", EntityBody.class))
        .isInstanceOf(MoireJsonException.class)
        .hasMessageContaining("teleport");
  }

  @Test
  void read_ignoresUnknownProperties_fromNewerWriters() {
    EntityBody body =
        MoireJson.read("{\"kind\":\"latch\",\"count\":2,\"added_later\":true}", EntityBody.class);
    assertThat(body).isEqualTo(new EntityBody.Latch(2));
  }
}
