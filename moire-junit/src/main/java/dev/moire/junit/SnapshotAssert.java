package dev.moire.junit;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import dev.moire.model.internal.Checks;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a snapshot of the graph, in AssertJ style. Each failure message says what was
 * expected and explains what was found, with names and sources.
 */
public final class SnapshotAssert extends AbstractAssert<SnapshotAssert, Snapshot> {
  private FindingSettings settings = FindingSettings.defaults();

  SnapshotAssert(Snapshot actual) {
    super(actual, SnapshotAssert.class);
  }

  /**
   * Analyses the snapshot with these settings from now on (for example {@code withTestEnded(true)}
   * so that every remaining hold counts as leaked).
   */
  public SnapshotAssert usingSettings(FindingSettings settings) {
    Checks.notNull(settings, "settings");
    this.settings = settings;
    return myself;
  }

  /** Asserts that no deadlock cycle, lost sender or stall is certain. */
  public SnapshotAssert hasNoDeadlocks() {
    return hasNone(
        "no deadlocks",
        f ->
            f.certainty() == Certainty.CERTAIN
                && (f.kind() == FindingKind.DEADLOCK_CYCLE
                    || f.kind() == FindingKind.LOST_SENDER
                    || f.kind() == FindingKind.GLOBAL_STALL));
  }

  /** Asserts that the wait-for relation has no cycle at all, certain or possible. */
  public SnapshotAssert hasNoWaitingOnCycles() {
    return hasNone("no waiting_on cycles", f -> f.kind() == FindingKind.DEADLOCK_CYCLE);
  }

  /** Asserts that no receiver is left without its sender. */
  public SnapshotAssert hasNoDanglingReceivers() {
    return hasNone("no dangling receivers", f -> f.kind() == FindingKind.DANGLING_RECEIVER);
  }

  /** Asserts that no lock, permit or initialisation is held by a task that has ended. */
  public SnapshotAssert hasNoLeakedHolds() {
    return hasNone("no leaked holds", f -> f.kind() == FindingKind.LEAKED_HOLD);
  }

  /** Asserts that the analysis finds nothing of the given kind. */
  public SnapshotAssert hasNoFinding(FindingKind kind) {
    Checks.notNull(kind, "kind");
    return hasNone("no " + kind.wireName() + " finding", f -> f.kind() == kind);
  }

  /** Asserts that the analysis finds something of the given kind. */
  public SnapshotAssert hasFinding(FindingKind kind) {
    Checks.notNull(kind, "kind");
    isNotNull();
    List<Finding> all = Findings.analyze(actual, settings);
    if (all.stream().noneMatch(f -> f.kind() == kind)) {
      failWithMessage(
          "Expecting the snapshot to have a %s finding, but found %s",
          kind.wireName(), all.isEmpty() ? "none at all" : listOf(all));
    }
    return myself;
  }

  /** Asserts that the snapshot holds an entity with the given name. */
  public SnapshotAssert hasEntity(String name) {
    Checks.notNull(name, "name");
    isNotNull();
    if (actual.entitiesNamed(name).isEmpty()) {
      failWithMessage(
          "Expecting the snapshot to have an entity named '%s', but it has only: %s",
          name, names());
    }
    return myself;
  }

  /** Asserts that the snapshot holds no entity with the given name. */
  public SnapshotAssert hasNoEntity(String name) {
    Checks.notNull(name, "name");
    isNotNull();
    List<Entity> found = actual.entitiesNamed(name);
    if (!found.isEmpty()) {
      failWithMessage(
          "Expecting the snapshot to have no entity named '%s', but found %s",
          name, found.stream().map(Findings::describe).collect(Collectors.joining(", ")));
    }
    return myself;
  }

  /**
   * Starts assertions on the task (or thread) with the given name.
   *
   * @throws AssertionError if the snapshot has no such task
   */
  public TaskAssert task(String name) {
    Checks.notNull(name, "name");
    isNotNull();
    Entity task =
        actual.entitiesNamed(name).stream()
            .filter(
                e -> e.kind().wireName().equals("future") || e.kind().wireName().equals("thread"))
            .findFirst()
            .orElse(null);
    if (task == null) {
      failWithMessage(
          "Expecting the snapshot to have a task or thread named '%s', but it has only: %s",
          name, names());
    }
    return new TaskAssert(actual, task);
  }

  private SnapshotAssert hasNone(String what, java.util.function.Predicate<Finding> bad) {
    isNotNull();
    List<Finding> found = Findings.analyze(actual, settings).stream().filter(bad).toList();
    if (!found.isEmpty()) {
      failWithMessage("Expecting the snapshot to have %s, but found:%s", what, listOf(found));
    }
    return myself;
  }

  private static String listOf(List<Finding> findings) {
    return findings.stream()
        .map(
            f ->
                "\n  - "
                    + f.kind().wireName()
                    + " ("
                    + f.certainty().wireName()
                    + "): "
                    + f.explanation())
        .collect(Collectors.joining());
  }

  private String names() {
    return actual.entities().isEmpty()
        ? "(no entities)"
        : actual.entities().stream().map(Findings::describe).collect(Collectors.joining(", "));
  }

  static String edgesFrom(Snapshot s, Entity task, EdgeKind kind) {
    List<String> out =
        s.edgesOfKind(kind).stream()
            .filter(e -> e.src().equals(task.id()))
            .map(Edge::dst)
            .map(id -> s.entity(id).map(Findings::describe).orElse(id.value()))
            .toList();
    return out.isEmpty() ? "nothing" : String.join(", ", out);
  }
}
