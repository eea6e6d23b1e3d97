package dev.moire.junit;

import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Findings;
import dev.moire.model.internal.Checks;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one task (or thread) of a snapshot: what it waits on and what it holds. */
public final class TaskAssert extends AbstractAssert<TaskAssert, Entity> {
  private final Snapshot snapshot;

  TaskAssert(Snapshot snapshot, Entity task) {
    super(task, TaskAssert.class);
    this.snapshot = snapshot;
  }

  /** Asserts that the task waits on the entity named {@code resource}. */
  public TaskAssert isWaitingOn(String resource) {
    return hasEdgeTo(EdgeKind.WAITING_ON, resource, "wait on", "waits on");
  }

  /** Asserts that the task waits on nothing. */
  public TaskAssert isNotWaiting() {
    String on = SnapshotAssert.edgesFrom(snapshot, actual, EdgeKind.WAITING_ON);
    if (!on.equals("nothing")) {
      failWithMessage(
          "Expecting %s not to be waiting, but it waits on %s", Findings.describe(actual), on);
    }
    return myself;
  }

  /** Asserts that the task holds the entity named {@code resource}. */
  public TaskAssert holds(String resource) {
    return hasEdgeTo(EdgeKind.HOLDS, resource, "hold", "holds");
  }

  private TaskAssert hasEdgeTo(EdgeKind kind, String resource, String expected, String actually) {
    Checks.notNull(resource, "resource");
    if (!MoireGraph.hasEdge(snapshot, kind, actual.name(), resource)) {
      failWithMessage(
          "Expecting %s to %s '%s', but it %s %s",
          Findings.describe(actual),
          expected,
          resource,
          actually,
          SnapshotAssert.edgesFrom(snapshot, actual, kind));
    }
    return myself;
  }
}
