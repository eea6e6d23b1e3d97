package dev.moire.runtime.sync;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.EntityId;
import dev.moire.model.Snapshot;
import dev.moire.runtime.MoireRuntime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads {@code holds} and {@code waiting_on} edges as sentences, for assertions. */
final class Edges {
  private final MoireRuntime runtime;

  Edges(MoireRuntime runtime) {
    this.runtime = runtime;
  }

  /** Returns "src kind dst" for every holds/waiting_on edge, with "(timed)" on timed waits. */
  Set<String> blocking() {
    return blocking(runtime.snapshot());
  }

  static Set<String> blocking(Snapshot s) {
    return s.edges().stream()
        .filter(e -> e.kind() == EdgeKind.HOLDS || e.kind() == EdgeKind.WAITING_ON)
        .map(Edges::sentence)
        .collect(Collectors.toSet());
  }

  static String sentence(Edge e) {
    return e.src() + " " + e.kind() + (e.timed() ? " (timed) " : " ") + e.dst();
  }

  static String holds(EntityId task, EntityId resource) {
    return task + " holds " + resource;
  }

  static String waits(EntityId task, EntityId resource) {
    return task + " waiting_on " + resource;
  }

  static String waitsTimed(EntityId task, EntityId resource) {
    return task + " waiting_on (timed) " + resource;
  }

  List<Edge> holdsOf(EntityId resource) {
    return runtime.snapshot().edges().stream()
        .filter(e -> e.kind() == EdgeKind.HOLDS && e.dst().equals(resource))
        .toList();
  }
}
