package dev.moire.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

final class ModelValidationTest {

  @Test
  void ids_refuseNullAndBlank_withTheRuleInTheMessage() {
    assertThatThrownBy(() -> EntityId.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("entity id must not be null");
    assertThatThrownBy(() -> EntityId.of("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity id must not be blank: '  '");
  }

  @Test
  void idFor_followsTheDesignedShapes() {
    assertThat(EntityKind.MPSC_TX.idFor("p1", "jobs")).hasToString("mpsc:p1:jobs:tx");
    assertThat(EntityKind.ONESHOT_RX.idFor("p1", "reply")).hasToString("oneshot:p1:reply:rx");
    assertThat(EntityKind.LOCK.idFor("p1", "accounts#2")).hasToString("lock:p1:accounts#2");
    assertThat(EntityKind.ONCE_CELL.idFor("p1", "cfg")).hasToString("once_cell:p1:cfg");
  }

  @Test
  void bodies_refuseNegativeCounts_namingTheField() {
    assertThatThrownBy(() -> new EntityBody.MpscTx(-1, OptionalInt.empty(), 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queue_len must not be negative: -1");
    assertThatThrownBy(() -> new EntityBody.MpscTx(0, OptionalInt.of(0), 0, 1, 0))
        .hasMessage("capacity must be positive: 0");
    assertThatThrownBy(() -> new EntityBody.Semaphore(-2, 0))
        .hasMessage("max_permits must not be negative: -2");
    assertThatThrownBy(() -> new EntityBody.BroadcastTx(0))
        .hasMessage("capacity must be positive: 0");
  }

  @Test
  void customAttrs_areCopiedAndSorted() {
    Map<String, String> attrs = new HashMap<>(Map.of("b", "2", "a", "1"));
    EntityBody.Custom body = new EntityBody.Custom("pool", attrs);
    attrs.put("c", "3");
    assertThat(body.attrs()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @Test
  void onlyWaitingOnEdges_canBeTimed() {
    EntityId a = EntityId.of("future:p1:a");
    EntityId b = EntityId.of("lock:p1:b");
    assertThatThrownBy(() -> new Edge(a, b, EdgeKind.HOLDS, true, PTime.ZERO, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only waiting_on edges can be timed: future:p1:a holds lock:p1:b");
  }

  @Test
  void source_readsAsFileAndLine() {
    assertThat(Samples.SOURCE.location()).isEqualTo("Bank.java:42");
    assertThat(Samples.SOURCE).hasToString("Bank.java:42 (Bank.transfer)");
  }

  @Test
  void threadSnapshot_isBlocked_onlyWhenWaitingOrBlocked() {
    for (Thread.State state : Thread.State.values()) {
      ThreadSnapshot t =
          new ThreadSnapshot(
              1,
              "t",
              false,
              state,
              Optional.empty(),
              Optional.empty(),
              java.util.List.of(),
              Optional.empty());
      assertThat(t.isBlocked())
          .as(state.name())
          .isEqualTo(state == Thread.State.WAITING || state == Thread.State.BLOCKED);
    }
  }
}
