package dev.moire.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class GraphStateTest {
  private static final RuntimeInfo INFO = new RuntimeInfo("p1", 1, 0);
  private final EntityId task = EntityId.of("future:p1:task");
  private final EntityId lock = EntityId.of("lock:p1:lock");
  private final ScopeId scope = ScopeId.of("test:p1:t");
  private final GraphState graph = new GraphState(2);
  private long seq;

  private void apply(ChangeBody body) {
    graph.apply(new Change(++seq, PTime.ofNanos(seq), body));
  }

  private void setUpTaskHoldingLock() {
    apply(new ChangeBody.UpsertEntity(Samples.entity(task.value(), new EntityBody.Future())));
    apply(
        new ChangeBody.UpsertEntity(
            Samples.entity(lock.value(), new EntityBody.Lock(EntityBody.LockKind.MUTEX))));
    apply(
        new ChangeBody.UpsertScope(
            new Scope(scope, "t", ScopeKind.TEST, Source.UNKNOWN, PTime.ZERO)));
    apply(new ChangeBody.LinkEntityScope(new ScopeLink(task, scope)));
    apply(
        new ChangeBody.UpsertEdge(
            new Edge(task, lock, EdgeKind.HOLDS, false, PTime.ZERO, Optional.empty())));
  }

  @Test
  void apply_outOfSequence_isRefusedWithBothNumbers() {
    assertThatThrownBy(
            () -> graph.apply(new Change(2, PTime.ZERO, new ChangeBody.RemoveEntity(task))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("change out of sequence: expected #1 but got #2");
  }

  @Test
  void removeEntity_takesItsEdgesAndLinksAlong() {
    setUpTaskHoldingLock();
    apply(new ChangeBody.RemoveEntity(task));
    Snapshot s = graph.toSnapshot(INFO, List.of());
    assertThat(s.entities()).extracting(Entity::id).containsExactly(lock);
    assertThat(s.edges()).isEmpty();
    assertThat(s.links()).isEmpty();
    assertThat(s.seq()).isEqualTo(6);
  }

  @Test
  void removeScope_takesItsLinksAlong_butNotItsEntities() {
    setUpTaskHoldingLock();
    apply(new ChangeBody.RemoveScope(scope));
    Snapshot s = graph.toSnapshot(INFO, List.of());
    assertThat(s.entities()).hasSize(2);
    assertThat(s.links()).isEmpty();
    assertThat(s.scopes()).isEmpty();
  }

  @Test
  void edgeToAMissingEntity_isIgnored() {
    setUpTaskHoldingLock();
    EntityId ghost = EntityId.of("lock:p1:ghost");
    apply(
        new ChangeBody.UpsertEdge(
            new Edge(task, ghost, EdgeKind.WAITING_ON, false, PTime.ZERO, Optional.empty())));
    assertThat(graph.edgeCount()).isEqualTo(1);
  }

  @Test
  void events_keepOnlyTheMostRecent() {
    setUpTaskHoldingLock();
    for (int i = 0; i < 5; i++) {
      apply(
          new ChangeBody.AppendEvent(
              new Event(
                  seq + 1,
                  EventTarget.of(lock),
                  PTime.ZERO,
                  Source.UNKNOWN,
                  new EventBody.StateChanged("a", "b" + i))));
    }
    assertThat(graph.toSnapshot(INFO, List.of()).events())
        .extracting(e -> ((EventBody.StateChanged) e.body()).to())
        .containsExactly("b3", "b4");
  }

  @Test
  void of_snapshot_continuesFromItsSequence() {
    setUpTaskHoldingLock();
    Snapshot base = graph.toSnapshot(INFO, List.of());
    GraphState resumed = GraphState.of(base, 2);
    resumed.apply(
        new Change(
            6,
            PTime.ofNanos(6),
            new ChangeBody.RemoveEdge(new EdgeKey(task, lock, EdgeKind.HOLDS))));
    apply(new ChangeBody.RemoveEdge(new EdgeKey(task, lock, EdgeKind.HOLDS)));
    assertThat(resumed.toSnapshot(INFO, List.of())).isEqualTo(graph.toSnapshot(INFO, List.of()));
  }
}
