package dev.moire.report;

import static org.awaitility.Awaitility.await;

import dev.moire.model.EdgeKind;
import dev.moire.model.ScopeKind;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import dev.moire.model.findings.World;
import dev.moire.runtime.ContextToken;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import dev.moire.runtime.ScopeHandle;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.RunIdentity;
import dev.moire.runtime.store.SnapshotLabel;
import dev.moire.runtime.sync.TrackedLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** Real stores for the report's tests: a lock-order deadlock, recorded as the harness would. */
final class Deadlocks {
  private Deadlocks() {}

  /**
   * Runs a lock-order inversion between threads 'worker-1' and 'worker-2' on locks named {@code
   * first} and {@code second}, stores the deadlocked snapshot with the test's journal, and unwinds
   * it. Returns the stored snapshot's id.
   */
  static long store(Path file, String first, String second) throws Exception {
    return store(file, first, second, RunIdentity.current());
  }

  /** As {@link #store(Path, String, String)}, under the given run of the build. */
  @SuppressWarnings("try")
  static long store(Path file, String first, String second, RunIdentity run) throws Exception {
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());
    TrackedLock a = new TrackedLock(runtime, first, false);
    TrackedLock b = new TrackedLock(runtime, second, false);
    ScopeHandle test = runtime.openScope("BankTest > transfer()", ScopeKind.TEST);
    CountDownLatch bothHold = new CountDownLatch(2);
    Thread t1;
    Thread t2;
    try (ContextToken in = runtime.enterScope(test)) {
      t1 = new Thread(() -> inversion(a, b, bothHold), "worker-1");
      t2 = new Thread(() -> inversion(b, a, bothHold), "worker-2");
      t1.start();
      t2.start();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Findings.analyze(runtime.snapshot(), FindingSettings.defaults()).stream()
                    .anyMatch(
                        f ->
                            f.kind() == FindingKind.DEADLOCK_CYCLE
                                && f.certainty() == Certainty.CERTAIN));
    Snapshot s = runtime.snapshot(test.id(), List.of(t1, t2));
    List<Finding> findings = Findings.analyze(s, FindingSettings.defaults());
    String message =
        findings.stream()
            .filter(f -> f.kind() == FindingKind.DEADLOCK_CYCLE)
            .findFirst()
            .orElseThrow()
            .explanation();
    long id;
    try (MoireStore store = MoireStore.open(file, run)) {
      id =
          store.save(
              new SnapshotLabel(
                  "BankTest > transfer()",
                  "deadlock",
                  "moire found a deadlock: " + message,
                  Optional.of(Duration.ofMillis(230))),
              s,
              runtime.journal(),
              findings);
    }
    runtime.abortWaits(test.id(), new AssertionError("deadlock"));
    t1.join();
    t2.join();
    if (s.edgesOfKind(EdgeKind.WAITING_ON).size() != 2) {
      throw new IllegalStateException("expected two waits in " + s);
    }
    return id;
  }

  /**
   * Runs a lock-order inversion in plain code, {@code synchronized} on two objects, between threads
   * 'plain-1' and 'plain-2', stores the snapshot the harness would take (the JVM's own evidence
   * shows both monitors), and returns its id. The two threads stay blocked for good (entering a
   * monitor cannot be interrupted): daemons, left behind.
   */
  static long storePlain(Path file) throws Exception {
    MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());
    ScopeHandle test = runtime.openScope("LedgerTest > transfer()", ScopeKind.TEST);
    Object a = new Object();
    Object b = new Object();
    CountDownLatch bothHold = new CountDownLatch(2);
    Thread t1 = new Thread(() -> monitors(a, b, bothHold), "plain-1");
    Thread t2 = new Thread(() -> monitors(b, a, bothHold), "plain-2");
    t1.setDaemon(true);
    t2.setDaemon(true);
    t1.start();
    t2.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> t1.getState() == Thread.State.BLOCKED && t2.getState() == Thread.State.BLOCKED);
    Snapshot s = runtime.snapshotWithJvmEvidence(test.id(), List.of(t1, t2), id -> false);
    List<Finding> findings =
        Findings.analyze(s, FindingSettings.defaults(), Optional.empty(), World.closed());
    Finding cycle =
        findings.stream()
            .filter(f -> f.kind() == FindingKind.DEADLOCK_CYCLE)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no cycle in " + s));
    try (MoireStore store = MoireStore.open(file)) {
      return store.save(
          new SnapshotLabel(
              "LedgerTest > transfer()",
              "deadlock",
              "moire found a deadlock: " + cycle.explanation(),
              Optional.of(Duration.ofMillis(120))),
          s,
          runtime.journal(),
          findings);
    }
  }

  /** The line of {@link #monitors}' first {@code synchronized} statement. */
  static int takesLine() throws java.io.IOException {
    List<String> lines =
        java.nio.file.Files.readAllLines(
            java.nio.file.Path.of("src/test/java/dev/moire/report/Deadlocks.java"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith("// TAKES")) {
        return i + 1;
      }
    }
    throw new IllegalStateException("no line marked TAKES");
  }

  private static void monitors(Object mine, Object theirs, CountDownLatch bothHold) {
    synchronized (mine) { // TAKES
      bothHold.countDown();
      try {
        bothHold.await();
      } catch (InterruptedException e) {
        return;
      }
      synchronized (theirs) {
        theirs.notifyAll();
      }
    }
  }

  private static void inversion(TrackedLock mine, TrackedLock theirs, CountDownLatch bothHold) {
    mine.lock();
    try {
      bothHold.countDown();
      bothHold.await();
      theirs.lock();
      theirs.unlock();
    } catch (InterruptedException | AssertionError e) {
      // unwound by the harness
    } finally {
      mine.unlock();
    }
  }
}
