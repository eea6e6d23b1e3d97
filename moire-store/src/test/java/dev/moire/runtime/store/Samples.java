package dev.moire.runtime.store;

import dev.moire.model.*;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Every body, event and change of the model, as the JSON round trips need them (a copy of the model
 * tests' own).
 */
final class Samples {
  static final Source SOURCE = new Source("Bank.java", 42, "com.example.Bank", "transfer");

  private Samples() {}

  static List<EntityBody> everyBody() {
    return List.of(
        new EntityBody.Future(),
        new EntityBody.Thread("worker-1", true),
        new EntityBody.Lock(EntityBody.LockKind.RW_LOCK),
        new EntityBody.MpscTx(3, OptionalInt.of(16), 7, 2, 120),
        new EntityBody.MpscTx(0, OptionalInt.empty(), 0, 1, 0),
        new EntityBody.MpscRx(117),
        new EntityBody.BroadcastTx(64),
        new EntityBody.BroadcastRx(5),
        new EntityBody.WatchTx(Optional.of(PTime.ofNanos(1234)), 9),
        new EntityBody.WatchTx(Optional.empty(), 0),
        new EntityBody.WatchRx(),
        new EntityBody.OneshotTx(true),
        new EntityBody.OneshotRx(),
        new EntityBody.OneshotRx(
            true, List.of(new dev.moire.model.OperationSite(SOURCE, List.of("network"), false))),
        new EntityBody.Semaphore(4, 3),
        new EntityBody.Semaphore(2, 1, java.util.Optional.of("Client.java:31")),
        new EntityBody.Notify(2),
        new EntityBody.OnceCell(1, EntityBody.OnceCellState.INITIALIZING),
        new EntityBody.Latch(2),
        new EntityBody.Latch(
            1, List.of(new dev.moire.model.OperationSite(SOURCE, List.of("a", "b"), true))),
        new EntityBody.Request("Orders.place"),
        new EntityBody.Response("Orders.place", EntityBody.ResponseStatus.CANCELLED),
        new EntityBody.Custom("pool", Map.of("size", "8", "name", "<db>")));
  }

  static List<EventBody> everyEvent() {
    return List.of(
        new EventBody.ChannelSent(OptionalLong.of(1500), false),
        new EventBody.ChannelSent(OptionalLong.empty(), true),
        new EventBody.ChannelReceived(OptionalLong.empty(), false),
        new EventBody.ChannelReceived(OptionalLong.of(0), true),
        EventBody.ChannelSent.run(1200, 3_500_000),
        EventBody.ChannelReceived.run(2, 10),
        new EventBody.StateChanged("pending", "ok"),
        new EventBody.Custom("retry", Map.of("attempt", "2")));
  }

  static Entity entity(String id, EntityBody body) {
    return new Entity(EntityId.of(id), "n-" + id, SOURCE, PTime.ofNanos(10), body);
  }

  static List<ChangeBody> everyChange() {
    EntityId a = EntityId.of("future:p1:a");
    EntityId b = EntityId.of("lock:p1:b");
    ScopeId s = ScopeId.of("test:p1:T.t()");
    return List.of(
        new ChangeBody.UpsertEntity(
            entity("lock:p1:b", new EntityBody.Lock(EntityBody.LockKind.MUTEX))),
        new ChangeBody.RemoveEntity(a),
        new ChangeBody.UpsertScope(new Scope(s, "T.t()", ScopeKind.TEST, SOURCE, PTime.ofNanos(5))),
        new ChangeBody.RemoveScope(s),
        new ChangeBody.LinkEntityScope(new ScopeLink(a, s)),
        new ChangeBody.UnlinkEntityScope(new ScopeLink(a, s)),
        new ChangeBody.UpsertEdge(
            new Edge(a, b, EdgeKind.WAITING_ON, true, PTime.ofNanos(7), Optional.of(SOURCE))),
        new ChangeBody.RemoveEdge(new EdgeKey(a, b, EdgeKind.HOLDS)),
        new ChangeBody.AppendEvent(
            new Event(9, EventTarget.of(b), PTime.ofNanos(8), SOURCE, everyEvent().get(0))));
  }
}
