package dev.moire.junit;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.ScopeId;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Finding;
import dev.moire.model.internal.Checks;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * A tracked test's handle on its part of the graph: snapshots, findings, entity lookup, and
 * conditions to wait for with Awaitility instead of sleeping. Declare it as a parameter of a test
 * or {@code @BeforeEach} method of a {@link MoireTracked} test.
 *
 * <pre>{@code
 * @Test
 * void consumer_waitsForWork(MoireGraph graph) {
 *   startConsumer(jobs);
 *   await().atMost(5, SECONDS).until(graph.waitingOn("jobs")); // the consumer is parked on jobs
 *   tx.send(job);
 * }
 * }</pre>
 */
public final class MoireGraph {
  private final TestSession session;

  MoireGraph(TestSession session) {
    this.session = session;
  }

  /** Returns the id of the test's scope. */
  public ScopeId scope() {
    return session.scope();
  }

  /** Returns the test's part of the graph now, with the thread table of its threads. */
  public Snapshot snapshot() {
    return session.snapshot();
  }

  /** Returns the findings of {@link #snapshot()}, as the watchdog would see them mid-test. */
  public List<Finding> findings() {
    return TestSession.findings(snapshot(), session.settings, false);
  }

  /**
   * Returns the entity of the test with the given name, if there is one (the first by id if there
   * are several).
   *
   * @throws NullPointerException if {@code name} is null
   */
  public Optional<Entity> entity(String name) {
    Checks.notNull(name, "name");
    return snapshot().entitiesNamed(name).stream().findFirst();
  }

  /**
   * Returns a condition that holds while some task of the test waits on an entity named {@code
   * resource}: {@code await().until(graph.waitingOn("jobs"))}.
   *
   * @throws NullPointerException if {@code resource} is null
   */
  public Callable<Boolean> waitingOn(String resource) {
    Checks.notNull(resource, "resource");
    return () -> hasEdge(snapshot(), EdgeKind.WAITING_ON, null, resource);
  }

  /**
   * Returns a condition that holds while the task (or thread) named {@code task} waits on the
   * entity named {@code resource}.
   *
   * @throws NullPointerException if an argument is null
   */
  public Callable<Boolean> waitingOn(String task, String resource) {
    Checks.notNull(task, "task");
    Checks.notNull(resource, "resource");
    return () -> hasEdge(snapshot(), EdgeKind.WAITING_ON, task, resource);
  }

  /**
   * Returns a condition that holds while the task (or thread) named {@code task} holds the entity
   * named {@code resource} (a lock, permits, a once-cell's initialisation, a channel end).
   *
   * @throws NullPointerException if an argument is null
   */
  public Callable<Boolean> holding(String task, String resource) {
    Checks.notNull(task, "task");
    Checks.notNull(resource, "resource");
    return () -> hasEdge(snapshot(), EdgeKind.HOLDS, task, resource);
  }

  /**
   * Returns a condition that holds while the test's snapshot matches {@code predicate}.
   *
   * @throws NullPointerException if {@code predicate} is null
   */
  public Callable<Boolean> matches(Predicate<? super Snapshot> predicate) {
    Checks.notNull(predicate, "predicate");
    return () -> predicate.test(snapshot());
  }

  static boolean hasEdge(
      Snapshot s, EdgeKind kind, @org.jspecify.annotations.Nullable String src, String dst) {
    for (Edge e : s.edgesOfKind(kind)) {
      Optional<Entity> from = s.entity(e.src());
      Optional<Entity> to = s.entity(e.dst());
      if (to.isPresent()
          && to.get().name().equals(dst)
          && (src == null || from.map(f -> f.name().equals(src)).orElse(false))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "MoireGraph[" + session.testName + "]";
  }
}
