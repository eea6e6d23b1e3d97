package dev.moire.runtime.channel;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityId;
import dev.moire.model.Event;
import dev.moire.model.Snapshot;
import dev.moire.runtime.MoireRuntime;
import java.util.List;
import java.util.Optional;

/** Reads facts about one runtime's graph, for tests that watch it mid-operation. */
final class GraphProbe {
  private final MoireRuntime runtime;

  GraphProbe(MoireRuntime runtime) {
    this.runtime = runtime;
  }

  Snapshot now() {
    return runtime.snapshot();
  }

  List<Edge> edgesInto(EntityId dst, EdgeKind kind) {
    return now().edges().stream().filter(e -> e.dst().equals(dst) && e.kind() == kind).toList();
  }

  boolean hasEdge(EntityId src, EdgeKind kind, EntityId dst) {
    return now().edges().stream()
        .anyMatch(e -> e.src().equals(src) && e.dst().equals(dst) && e.kind() == kind);
  }

  Optional<Edge> waitingOn(EntityId dst) {
    return edgesInto(dst, EdgeKind.WAITING_ON).stream().findFirst();
  }

  Entity entity(EntityId id) {
    return now().entity(id).orElseThrow(() -> new AssertionError("no entity " + id));
  }

  boolean exists(EntityId id) {
    return now().entity(id).isPresent();
  }

  List<Event> events(EntityId id) {
    return now().eventsOf(id);
  }

  /** Returns the entities whose ids start with {@code prefix}, and the edges touching them. */
  long channelFootprint(String name) {
    Snapshot s = now();
    long entities = s.entities().stream().filter(e -> e.name().equals(name)).count();
    long edges =
        s.edges().stream()
            .filter(
                e ->
                    e.src().value().contains(":" + name + ":")
                        || e.dst().value().contains(":" + name + ":"))
            .count();
    return entities + edges;
  }
}
