package dev.moire.benchmarks;

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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Large synthetic snapshots, the shape of a busy test: tasks, channel pairs, locks. */
final class Graphs {
  private Graphs() {}

  static final RuntimeInfo RUNTIME = new RuntimeInfo("bench", 1, 1_700_000_000_000L);

  /**
   * Returns a snapshot of {@code groups} groups of four entities (a task, a channel's two ends, a
   * lock) and {@code edgesPerGroup} edges each (polls, holds, paired_with, and waits): every fifth
   * task waits on the lock of the next group, so there are long wait chains but no cycle.
   */
  static Snapshot groups(int groups) {
    List<Entity> entities = new ArrayList<>(groups * 4);
    List<Edge> edges = new ArrayList<>(groups * 5);
    List<ThreadSnapshot> threads = new ArrayList<>(groups);
    Source src = new Source("Bench.java", 1, "dev.moire.benchmarks.Bench", "run");
    PTime t = new PTime(1);
    for (int i = 0; i < groups; i++) {
      EntityId task = EntityId.of("thread:bench:task-" + i);
      EntityId tx = EntityId.of("mpsc:bench:q-" + i + ":tx");
      EntityId rx = EntityId.of("mpsc:bench:q-" + i + ":rx");
      EntityId lock = EntityId.of("lock:bench:lock-" + i);
      entities.add(
          new Entity(task, "task-" + i, src, t, new EntityBody.Thread("task-" + i, false)));
      entities.add(
          new Entity(tx, "q-" + i, src, t, new EntityBody.MpscTx(3, OptionalInt.of(8), 5, 1, 40)));
      entities.add(new Entity(rx, "q-" + i, src, t, new EntityBody.MpscRx(37)));
      entities.add(
          new Entity(lock, "lock-" + i, src, t, new EntityBody.Lock(EntityBody.LockKind.MUTEX)));
      edges.add(new Edge(tx, rx, EdgeKind.PAIRED_WITH, false, t, Optional.empty()));
      edges.add(new Edge(task, tx, EdgeKind.POLLS, false, t, Optional.empty()));
      edges.add(new Edge(task, rx, EdgeKind.POLLS, false, t, Optional.empty()));
      edges.add(new Edge(task, lock, EdgeKind.HOLDS, false, t, Optional.empty()));
      if (i % 5 == 0 && i + 1 < groups) {
        edges.add(
            new Edge(
                task,
                EntityId.of("lock:bench:lock-" + (i + 1)),
                EdgeKind.WAITING_ON,
                false,
                t,
                Optional.of(src)));
      }
      threads.add(
          new ThreadSnapshot(
              i + 1,
              "task-" + i,
              false,
              i % 5 == 0 ? Thread.State.WAITING : Thread.State.RUNNABLE,
              Optional.empty(),
              Optional.empty(),
              List.of(),
              Optional.of(task)));
    }
    entities.sort(java.util.Comparator.comparing(Entity::id));
    edges.sort(java.util.Comparator.comparing(Edge::key));
    return new Snapshot(RUNTIME, 1, t, entities, List.of(), List.of(), edges, List.of(), threads);
  }
}
