package dev.moire.model.findings;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.PTime;
import dev.moire.model.RuntimeInfo;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds snapshots by hand, as the runtime would record them, for tests of the findings. */
final class GraphBuilder {
  private final List<Entity> entities = new ArrayList<>();
  private final List<Edge> edges = new ArrayList<>();
  private final List<ThreadSnapshot> threads = new ArrayList<>();
  private long at = 1_000_000;
  private int line = 1;

  EntityId add(String kindName, String name, EntityBody body) {
    EntityId id = EntityId.of(kindName + ":p1:" + name);
    entities.add(
        new Entity(
            id,
            name,
            new Source("Bank.java", line++, "com.example.Bank", "run"),
            PTime.ZERO,
            body));
    return id;
  }

  /** A thread entity, with a thread-table row in the given state. */
  EntityId thread(String name, Thread.State state) {
    EntityId id = add("thread", name, new EntityBody.Thread(name, false));
    threads.add(
        new ThreadSnapshot(
            threads.size() + 1,
            name,
            false,
            state,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.of(id)));
    return id;
  }

  /** Replaces the row of the thread named {@code name} by what {@code change} makes of it. */
  GraphBuilder row(String name, java.util.function.UnaryOperator<ThreadSnapshot> change) {
    threads.replaceAll(t -> t.name().equals(name) ? change.apply(t) : t);
    return this;
  }

  /** A thread-table row of a thread moire knows nothing else about. */
  void untrackedThread(String name, Thread.State state, String blocker) {
    threads.add(
        new ThreadSnapshot(
            threads.size() + 1,
            name,
            false,
            state,
            Optional.of(blocker),
            Optional.empty(),
            List.of(
                new Source("Object.java", 0, "java.lang.Object", "wait0"),
                new Source("Thread.java", 2000, "java.lang.Thread", "join")),
            Optional.empty()));
  }

  EntityId lock(String name) {
    return add("lock", name, new EntityBody.Lock(EntityBody.LockKind.MUTEX));
  }

  EntityId[] mpsc(String name, int capacity, long queued) {
    EntityId tx =
        add(
            "mpsc",
            name + ":tx",
            new EntityBody.MpscTx(queued, OptionalInt.of(capacity), queued, 1, queued));
    EntityId rx = add("mpsc", name + ":rx", new EntityBody.MpscRx(0));
    edge(tx, EdgeKind.PAIRED_WITH, rx);
    return new EntityId[] {tx, rx};
  }

  GraphBuilder edge(EntityId src, EdgeKind kind, EntityId dst) {
    return edge(src, kind, dst, false, 0);
  }

  GraphBuilder edge(EntityId src, EdgeKind kind, EntityId dst, boolean timed, long sinceNanos) {
    edges.add(new Edge(src, dst, kind, timed, PTime.ofNanos(sinceNanos), Optional.empty()));
    return this;
  }

  GraphBuilder at(long nanos) {
    at = nanos;
    return this;
  }

  Snapshot build() {
    List<Entity> e = new ArrayList<>(entities);
    e.sort(Comparator.comparing(Entity::id));
    List<Edge> d = new ArrayList<>(edges);
    d.sort(Comparator.comparing(Edge::key));
    return new Snapshot(
        new RuntimeInfo("p1", 1, 0),
        1,
        PTime.ofNanos(at),
        e,
        List.of(),
        List.of(),
        d,
        List.of(),
        threads);
  }
}
