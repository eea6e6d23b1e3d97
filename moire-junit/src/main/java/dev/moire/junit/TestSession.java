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
import dev.moire.model.internal.GuardedBy;
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
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.InvocationInterceptor;

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

  /** How long a stuck body gets to unwind after a verdict or a timeout, before it is left. */
  static final Duration UNWIND = Duration.ofSeconds(1);

  final MoireRuntime runtime;
  final Settings settings;
  final String testName;
  final Recorder recorder;
  private final TestThreads testThreads;
  private final ScopeHandle scope;
  private final EntityHandle<EntityBody.Future> body;
  private ContextToken scopeToken;
  private ContextToken taskToken;
  private final long startSeq;
  private final long startNanos = System.nanoTime();
  private volatile Thread testThread;

  /** The JUnit thread that entered the test's scope and task in {@code beforeEach}. */
  private final Thread enteredOn;

  private @Nullable Watchdog watchdog;
  private @Nullable Thread watchdogThread;

  private volatile @Nullable DeadlockDetectedError error;
  private volatile @Nullable Finding fatal;
  private volatile OptionalLong storedId = OptionalLong.empty();
  private volatile boolean interruptedTestThread;
  private volatile @Nullable Evidence lastEvidence;

  /** The JUnit thread while the body runs on a thread of moire's; machinery, not the test's. */
  private volatile @Nullable Thread caller;

  private final Loopers loopers = new Loopers();

  /** Signals the JUnit thread waiting for the body: the body ended, or a verdict was reached. */
  private final Object bodyMonitor = new Object();

  @GuardedBy("bodyMonitor")
  private boolean bodyEnded;

  /** The test's threads when the verdict was reached: they get a moment to unwind at the end. */
  private volatile List<Thread> atVerdict = List.of();

  private volatile long verdictAt;

  /** Threads of the test whose uncaught abort moire swallowed (one line at the end, not N). */
  private final AtomicInteger unwound = new AtomicInteger();

  TestSession(
      MoireRuntime runtime,
      Settings settings,
      String testName,
      String displayName,
      dev.moire.model.Source bodySource,
      Recorder recorder,
      TestThreads testThreads) {
    this.runtime = runtime;
    this.settings = settings;
    this.testName = testName;
    this.recorder = recorder;
    this.testThreads = testThreads;
    this.testThread = Thread.currentThread();
    this.enteredOn = testThread;
    this.startSeq = runtime.lastSeq();
    this.scope = runtime.openScope(testName, ScopeKind.TEST);
    this.scopeToken = runtime.enterScope(scope);
    this.body = runtime.createEntity(displayName, new EntityBody.Future(), bodySource);
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

  /**
   * Runs the test method on a thread of moire's (named as the calling JUnit thread, in the test's
   * scope and task), and waits for it. The wait ends when the body ends; after a verdict or an
   * interrupt of the caller (JUnit's timeout, passed on to the body), it lasts at most {@link
   * #UNWIND} more: then the body is left behind and the test fails, naming the threads left behind.
   * So a test always ends, even when its threads are stuck in waits that ignore interrupts.
   */
  void runBody(InvocationInterceptor.Invocation<Void> invocation) throws Throwable {
    Thread junit = Thread.currentThread();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    boolean entered = junit == enteredOn; // not in JUnit's separate-thread timeout mode
    if (entered) {
      taskToken.close(); // the JUnit thread leaves the test while the body runs elsewhere
      scopeToken.close();
    }
    Thread t =
        new Thread(
            () -> {
              ContextToken inScope = runtime.enterScope(scope);
              ContextToken inTask = runtime.enterTask(body);
              try {
                invocation.proceed();
              } catch (Throwable e) {
                thrown.set(e);
              } finally {
                inTask.close();
                inScope.close();
                synchronized (bodyMonitor) {
                  bodyEnded = true;
                  bodyMonitor.notifyAll();
                }
              }
            },
            junit.getName());
    t.setDaemon(true);
    caller = junit;
    testThread = t;
    try {
      t.start();
      waitForBody(t);
    } finally {
      caller = null;
      if (entered) {
        scopeToken = runtime.enterScope(scope);
        taskToken = runtime.enterTask(body);
      }
    }
    Throwable e = thrown.get();
    if (e != null) {
      throw e;
    }
  }

  private void waitForBody(Thread t) throws Throwable {
    InterruptedException interrupt = null;
    long giveUpAt = 0;
    synchronized (bodyMonitor) {
      while (!bodyEnded) {
        boolean hurry = interrupt != null || error != null;
        if (hurry && giveUpAt == 0) {
          giveUpAt = System.nanoTime() + UNWIND.toNanos();
        }
        long left = hurry ? giveUpAt - System.nanoTime() : 0;
        if (hurry && left <= 0) {
          break;
        }
        try {
          if (hurry) {
            bodyMonitor.wait(Math.max(1, left / 1_000_000));
          } else {
            bodyMonitor.wait(); // untimed: the JUnit thread is no actor in the test's world
          }
        } catch (InterruptedException e) {
          interrupt = e; // JUnit's timeout: the body gets the interrupt and a second to unwind
          t.interrupt();
        }
      }
      if (bodyEnded) {
        if (interrupt != null) {
          Thread.currentThread().interrupt(); // keep what JUnit's timeout expects to see
        }
        return;
      }
    }
    String behind = leftBehind();
    DeadlockDetectedError verdict = error;
    if (verdict != null) {
      DeadlockDetectedError e = new DeadlockDetectedError(verdict.getMessage() + "\n" + behind);
      error = e;
      throw e;
    }
    AssertionError e = new AssertionError("moire: " + behind);
    if (interrupt != null) {
      Thread.currentThread().interrupt();
    }
    throw e;
  }

  /** Names the test's threads that are still alive, each with its state and the user's frame. */
  private String leftBehind() {
    List<String> parts = new ArrayList<>();
    List<Thread> alive = threads().stream().filter(Thread::isAlive).toList();
    WorldCensus.leftBehind(alive);
    for (Thread t : alive) {
      StringBuilder b =
          new StringBuilder("'").append(t.getName()).append("' ").append(t.getState());
      for (StackTraceElement f : t.getStackTrace()) {
        String c = f.getClassName();
        if (!c.startsWith("java.")
            && !c.startsWith("jdk.")
            && !c.startsWith("sun.")
            && !c.startsWith("dev.moire.runtime.")) {
          b.append(" at ").append(c.substring(c.lastIndexOf('.') + 1)).append('.');
          b.append(f.getMethodName()).append(" (").append(f.getFileName()).append(':');
          b.append(f.getLineNumber()).append(')');
          break;
        }
      }
      parts.add(b.toString());
    }
    return "the test's threads did not end within "
        + UNWIND.toMillis()
        + " ms and were left behind (stuck in waits that ignore interrupts): "
        + (parts.isEmpty() ? "none alive any more" : String.join("; ", parts));
  }

  /**
   * Returns JUnit's threads while they wait for the body on moire's thread (the one that ran the
   * callbacks, and the one that called the method, which differ in JUnit's separate-thread timeout
   * mode): machinery, neither the test's threads nor actors in its world. Empty otherwise.
   */
  Set<Long> waitingForBody() {
    Thread c = caller;
    if (c == null) {
      return Set.of();
    }
    return c == enteredOn ? Set.of(c.getId()) : Set.of(c.getId(), enteredOn.getId());
  }

  /** Returns what the watchdog noticed of threads looping in timed waits. */
  Loopers loopers() {
    return loopers;
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
    Snapshot s = runtime.snapshot(scope.id(), threads());
    Set<Long> junit = waitingForBody(); // JUnit's threads waiting for the body are not the test's
    return junit.isEmpty() ? s : s.withThreadsWhere(t -> !junit.contains(t.threadId()));
  }

  /**
   * Returns this test's part of the graph now with the JVM's whole evidence: every monitor its
   * threads hold, and (JDK 21+) the virtual threads it created, from the JVM's thread dump.
   * Costlier than {@link #snapshot()}: for a verdict and for stored evidence.
   */
  Snapshot evidenceSnapshot() {
    Snapshot s = runtime.snapshotWithJvmEvidence(scope.id(), threads(), testThreads::isNewVirtual);
    Set<Long> junit = waitingForBody();
    return junit.isEmpty() ? s : s.withThreadsWhere(t -> !junit.contains(t.threadId()));
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
    return WorldCensus.observe(
        Set.of(Thread.currentThread().getId()), settings.housekeepingThreads());
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
    return recorder.pageOf(id);
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
    if (f.kind() == FindingKind.GLOBAL_STALL) {
      message +=
          "\n(if a wait here is legitimate, on work moire cannot see, give it longer:"
              + " @MoireTracked(grace = \"5s\") or the configuration parameter moire.grace=5s)";
    }
    DeadlockDetectedError err = new DeadlockDetectedError(message);
    System.err.println("moire: " + testName + ": " + message); // seen at once, even if stuck
    fatal = f;
    error = err;
    quietUnwinding(err);
    runtime.abortWaits(scope.id(), err);
    synchronized (bodyMonitor) {
      bodyMonitor.notifyAll(); // the JUnit thread gives the body a second from now
    }
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

  /**
   * Keeps the threads the abort unwinds from each printing the same stack trace: a thread with no
   * handler of its own gets one that counts the verdict's error and passes anything else on.
   */
  private void quietUnwinding(DeadlockDetectedError err) {
    List<Thread> threads = threads();
    verdictAt = System.nanoTime();
    // Those in tracked waits unwind from the abort; one blocked entering a monitor never will.
    atVerdict = List.copyOf(runtime.threadsWaitingIn(scope.id()));
    for (Thread t : threads) {
      if (t.getUncaughtExceptionHandler() != t.getThreadGroup()) {
        continue; // the user's own handler, or an ended thread's
      }
      Thread.UncaughtExceptionHandler fallback = t.getThreadGroup();
      t.setUncaughtExceptionHandler(
          (thread, e) -> {
            if (e == err) {
              unwound.incrementAndGet();
            } else {
              fallback.uncaughtException(thread, e);
            }
          });
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
    long until = verdictAt + UNWIND.toNanos(); // the same second the body had, not one more
    for (Thread t : atVerdict) {
      long left = until - System.nanoTime();
      if (t != Thread.currentThread() && left > 0) {
        try {
          t.join(Math.max(1, left / 1_000_000)); // unwinding from the abort: a moment, no more
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    int n = unwound.get();
    if (n > 0) {
      System.err.println(
          "moire: "
              + testName
              + ": "
              + n
              + (n == 1 ? " thread was" : " threads were")
              + " unwound by the verdict (their DeadlockDetectedError is not printed)");
    }
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
