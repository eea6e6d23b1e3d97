package dev.moire.junit;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventTarget;
import dev.moire.model.ScopeId;
import dev.moire.model.ScopeKind;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import dev.moire.model.findings.World;
import dev.moire.runtime.ContextToken;
import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.ScopeHandle;
import dev.moire.runtime.store.SnapshotLabel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One tracked test: its scope, the task that stands for its body, its watchdog, and what has been
 * found and stored about it.
 *
 * <p>Invariants: created, entered and closed on the test's own thread (scopes and tasks are a
 * per-thread stack). The watchdog thread writes {@link #error} and {@link #storedId} once, before
 * it ends; the test thread reads them only after {@link #stopWatchdog} has joined it.
 */
final class TestSession implements AutoCloseable {
  private static final AtomicInteger WATCHDOGS = new AtomicInteger();

  final MoireRuntime runtime;
  final Settings settings;
  final String testName;
  final Recorder recorder;
  private final TestThreads testThreads;
  private final ScopeHandle scope;
  private final EntityHandle<EntityBody.Future> body;
  private final ContextToken scopeToken;
  private final ContextToken taskToken;
  private final long startSeq;
  private final long startNanos = System.nanoTime();
  private volatile Thread testThread;
  private @Nullable Watchdog watchdog;
  private @Nullable Thread watchdogThread;

  private volatile @Nullable DeadlockDetectedError error;
  private volatile @Nullable Finding fatal;
  private volatile OptionalLong storedId = OptionalLong.empty();
  private volatile boolean interruptedTestThread;
  private volatile @Nullable Evidence lastEvidence;

  TestSession(
      MoireRuntime runtime,
      Settings settings,
      String testName,
      String displayName,
      Recorder recorder,
      TestThreads testThreads) {
    this.runtime = runtime;
    this.settings = settings;
    this.testName = testName;
    this.recorder = recorder;
    this.testThreads = testThreads;
    this.testThread = Thread.currentThread();
    this.startSeq = runtime.lastSeq();
    this.scope = runtime.openScope(testName, ScopeKind.TEST);
    this.scopeToken = runtime.enterScope(scope);
    this.body = runtime.createEntity(displayName, new EntityBody.Future());
    this.taskToken = runtime.enterTask(body);
  }

  ScopeId scope() {
    return scope.id();
  }

  /** Starts the watchdog; the test body runs on the calling thread. */
  void startWatchdog() {
    testThread = Thread.currentThread();
    Watchdog w = new Watchdog(this, settings.watchdogInterval(), settings.grace(), this::onVerdict);
    Thread t = new Thread(w, "moire-watchdog-" + WATCHDOGS.incrementAndGet());
    t.setDaemon(true);
    watchdog = w;
    watchdogThread = t;
    t.start();
  }

  /** Stops the watchdog and waits for it, so that a verdict it reached is complete. */
  void stopWatchdog() {
    Watchdog w = watchdog;
    Thread t = watchdogThread;
    if (w == null || t == null) {
      return;
    }
    w.stop();
    java.util.concurrent.locks.LockSupport.unpark(t);
    try {
      t.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watchdog = null;
    watchdogThread = null;
    if (interruptedTestThread && Thread.currentThread() == testThread) {
      Thread.interrupted(); // the watchdog's wake-up call must not leak into what runs next
    }
  }

  Optional<DeadlockDetectedError> error() {
    return Optional.ofNullable(error);
  }

  Optional<Finding> fatal() {
    return Optional.ofNullable(fatal);
  }

  OptionalLong storedId() {
    return storedId;
  }

  Optional<Evidence> lastEvidence() {
    return Optional.ofNullable(lastEvidence);
  }

  void setLastEvidence(Evidence evidence) {
    lastEvidence = evidence;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Returns the threads of this test now. */
  List<Thread> threads() {
    return testThreads.of(runtime, scope.id(), testThread);
  }

  /** Returns this test's part of the graph now. */
  Snapshot snapshot() {
    return runtime.snapshot(scope.id(), threads());
  }

  /** Returns the findings of a snapshot of this test, whose world nobody looked at. */
  static List<Finding> findings(Snapshot s, Settings settings, boolean ended) {
    return findings(s, settings, ended, World.unknown());
  }

  /** Returns the findings of a snapshot of this test, in the world seen beside it. */
  static List<Finding> findings(Snapshot s, Settings settings, boolean ended, World world) {
    return Findings.analyze(
        s,
        FindingSettings.defaults().withStallGrace(settings.grace()).withTestEnded(ended),
        Optional.empty(),
        world);
  }

  /** Returns what the rest of the JVM is doing now, seen from the calling thread. */
  World world() {
    return WorldCensus.observe(Set.of(Thread.currentThread().getId()));
  }

  /**
   * Stores a snapshot of this test (unless recording is off), with its recent journal, and returns
   * the page of the report that shows it.
   */
  Optional<Path> store(String reason, String message, Snapshot s, List<Finding> findings) {
    if (settings.record() == MoireTracked.Record.NEVER) {
      return Optional.empty();
    }
    SnapshotLabel label = new SnapshotLabel(testName, reason, message, Optional.of(elapsed()));
    long id = recorder.save(label, s, journalOf(s), findings);
    storedId = OptionalLong.of(id);
    return Optional.of(recorder.pageOf(id));
  }

  /** The watchdog's verdict: store the evidence, then unwind every tracked wait of the test. */
  private void onVerdict(Watchdog.Verdict v) {
    Finding f = v.finding();
    String reason =
        switch (f.kind()) {
          case DEADLOCK_CYCLE -> "deadlock";
          case LOST_SENDER -> "lost_sender";
          default -> "stall";
        };
    String message = headline(f.kind()) + f.explanation();
    Optional<Path> page;
    try {
      page = store(reason, message, v.snapshot(), v.findings());
    } catch (RuntimeException e) {
      page = Optional.empty();
      message += "\n(moire could not store the snapshot: " + e.getMessage() + ")";
    }
    if (page.isPresent()) {
      message += "\nmoire report: " + page.get().toAbsolutePath();
    }
    DeadlockDetectedError err = new DeadlockDetectedError(message);
    fatal = f;
    error = err;
    runtime.abortWaits(scope.id(), err);
    Thread t = testThread;
    Thread.State state = t.getState();
    boolean waiting =
        state == Thread.State.WAITING
            || state == Thread.State.BLOCKED
            || state == Thread.State.TIMED_WAITING;
    if (waiting && !runtime.threadsWaitingIn(scope.id()).contains(t)) {
      interruptedTestThread = true;
      t.interrupt(); // blocked outside moire (a join, say): wake it so the test ends now
    }
  }

  static String headline(FindingKind kind) {
    return switch (kind) {
      case DEADLOCK_CYCLE -> "moire found a deadlock: ";
      case LOST_SENDER -> "moire found a lost sender: ";
      case GLOBAL_STALL -> "moire found a stall: ";
      case DANGLING_RECEIVER -> "moire found a dangling receiver: ";
      case LEAKED_HOLD -> "moire found a leaked hold: ";
      default -> "moire: ";
    };
  }

  /**
   * Returns the changes of the journal since the test began that concern the test: its scope, the
   * entities linked to it, and the edges and events that touch them.
   */
  List<Change> journalOf(Snapshot s) {
    List<Change> all = runtime.journal();
    Set<EntityId> ids = new HashSet<>();
    for (Entity e : s.entities()) {
      ids.add(e.id());
    }
    ScopeId sid = scope.id();
    for (Change c : all) {
      if (c.seq() > startSeq
          && c.body() instanceof ChangeBody.LinkEntityScope l
          && l.link().scope().equals(sid)) {
        ids.add(l.link().entity());
      }
    }
    List<Change> out = new ArrayList<>();
    for (Change c : all) {
      if (c.seq() > startSeq && concerns(c.body(), ids, sid)) {
        out.add(c);
      }
    }
    return out;
  }

  private static boolean concerns(ChangeBody b, Set<EntityId> ids, ScopeId scope) {
    if (b instanceof ChangeBody.UpsertEntity x) {
      return ids.contains(x.entity().id());
    } else if (b instanceof ChangeBody.RemoveEntity x) {
      return ids.contains(x.id());
    } else if (b instanceof ChangeBody.UpsertScope x) {
      return x.scope().id().equals(scope);
    } else if (b instanceof ChangeBody.RemoveScope x) {
      return x.id().equals(scope);
    } else if (b instanceof ChangeBody.LinkEntityScope x) {
      return ids.contains(x.link().entity());
    } else if (b instanceof ChangeBody.UnlinkEntityScope x) {
      return ids.contains(x.link().entity());
    } else if (b instanceof ChangeBody.UpsertEdge x) {
      return ids.contains(x.edge().src()) || ids.contains(x.edge().dst());
    } else if (b instanceof ChangeBody.RemoveEdge x) {
      return ids.contains(x.key().src()) || ids.contains(x.key().dst());
    } else if (b instanceof ChangeBody.AppendEvent x) {
      EventTarget t = x.event().target();
      return t.kind() == EventTarget.Kind.SCOPE
          ? t.id().equals(scope.value())
          : ids.contains(new EntityId(t.id()));
    }
    return false;
  }

  /**
   * Leaves the test's task and scope, on the test's thread. The abort of a verdict ends with the
   * test, and so does the scope: threads that outlive the test drop it (see the runtime's
   * contexts), so nothing of this test reaches the next.
   */
  @Override
  public void close() {
    stopWatchdog();
    try {
      taskToken.close();
      body.close();
      scopeToken.close();
    } finally {
      scope.close();
      runtime.clearAbort(scope.id());
    }
  }
}
