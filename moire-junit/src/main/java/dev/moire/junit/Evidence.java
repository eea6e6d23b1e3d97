package dev.moire.junit;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityId;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.Findings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The graph of a failed test, attached to its failure as a suppressed exception: who waits on what,
 * who holds what, the findings, and where the snapshot and report are. It has no stack trace of its
 * own; the failure it is attached to has one.
 */
final class Evidence extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private Evidence(String message) {
    super(message, null, false, false);
  }

  static Evidence of(
      String test, String reason, Snapshot s, List<Finding> findings, Optional<Path> page) {
    return of(test, reason, s, findings, page, List.of());
  }

  /** The same, with what the watchdog noticed of threads looping in timed waits. */
  static Evidence of(
      String test,
      String reason,
      Snapshot s,
      List<Finding> findings,
      Optional<Path> page,
      List<String> loopers) {
    StringBuilder b = new StringBuilder(describe(test, reason, s, findings, Optional.empty()));
    for (String l : loopers) {
      b.append("\n  ").append(l);
    }
    page.ifPresent(p -> b.append("\n  report: ").append(p.toAbsolutePath()));
    return new Evidence(b.toString());
  }

  /** Writes what a snapshot shows, for a person reading a test failure. */
  static String describe(
      String test, String reason, Snapshot s, List<Finding> findings, Optional<Path> page) {
    StringBuilder b = new StringBuilder("moire snapshot of ").append(test);
    b.append(" (").append(reason).append("): ");
    b.append(s.entities().size()).append(" entities, ").append(s.edges().size()).append(" edges");
    Map<EntityId, Entity> byId = new HashMap<>();
    s.entities().forEach(e -> byId.put(e.id(), e));
    for (Edge e : s.edges()) {
      if (e.kind() != EdgeKind.WAITING_ON && e.kind() != EdgeKind.HOLDS) {
        continue;
      }
      Entity src = byId.get(e.src());
      Entity dst = byId.get(e.dst());
      if (src == null || dst == null) {
        continue;
      }
      b.append("\n  ")
          .append(Findings.describe(src))
          .append(
              e.kind() == EdgeKind.WAITING_ON
                  ? (e.timed() ? " waits (timed) on " : " waits on ")
                  : " holds ")
          .append(Findings.describe(dst))
          .append(" (")
          .append(e.source().orElse(dst.source()).location())
          .append(')');
    }
    for (Finding f : findings) {
      if (f.certainty() != Certainty.WARNING || findings.size() < 20) {
        b.append("\n  finding ")
            .append(f.kind().wireName())
            .append(" (")
            .append(f.certainty().wireName())
            .append("): ")
            .append(f.explanation());
      }
    }
    page.ifPresent(p -> b.append("\n  report: ").append(p.toAbsolutePath()));
    return b.toString();
  }
}
