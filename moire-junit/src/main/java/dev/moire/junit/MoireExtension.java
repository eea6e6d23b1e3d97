package dev.moire.junit;

import dev.moire.model.EntityId;
import dev.moire.model.Snapshot;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.MoireRuntime;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.PreInterruptCallback;
import org.junit.jupiter.api.extension.PreInterruptContext;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link MoireTracked}. Per test: a scope and a task for the body
 * (beforeEach), a watchdog while the body runs, evidence on failure, on a JUnit timeout (before the
 * interrupt) and on a finding, end-of-test checks, and the graph as a parameter.
 *
 * <p>Stateless: everything a test needs lives in its {@link TestSession}, kept in the test's
 * extension-context store; what a run shares (the recorder of each store file) lives in the root
 * context's store, which closes it at the end of the run.
 */
final class MoireExtension
    implements BeforeEachCallback,
        BeforeTestExecutionCallback,
        AfterTestExecutionCallback,
        AfterEachCallback,
        TestExecutionExceptionHandler,
        PreInterruptCallback,
        InvocationInterceptor,
        ParameterResolver {
  private static final Namespace NS = Namespace.create(MoireExtension.class);
  private static final String SESSION = "session";
  private static final Duration SETTLE = Duration.ofSeconds(1);

  @Override
  public void beforeEach(ExtensionContext context) {
    Settings settings = Settings.resolve(context);
    MoireRuntime runtime = MoireRuntime.global();
    if (!settings.enabled() || !runtime.isEnabled()) {
      if (readsTheGraph(context)) {
        // Skipped as an assumption, not failed: the escape hatch must leave every test runnable.
        throw new TestAbortedException(
            "moire is disabled (moire.enabled=false), and this test reads moire's graph"
                + " (it takes a MoireGraph): skipped");
      }
      return;
    }
    AgentHint.onceIfAbsent(context, System.err);
    ExtensionContext.Store root = context.getRoot().getStore(NS);
    Recorder recorder =
        root.getOrComputeIfAbsent(
            "recorder " + settings.store().toAbsolutePath() + " " + settings.reportDir(),
            k ->
                new Recorder(
                    settings.store(), settings.reportDir(), settings.sourceUrl(), System.out),
            Recorder.class);
    TestThreads threads = TestThreads.baselineNow(); // the threads that are not the test's
    String testName = context.getRequiredTestClass().getName() + " > " + context.getDisplayName();
    TestSession session =
        new TestSession(
            runtime,
            settings,
            testName,
            context.getDisplayName(),
            bodySource(context),
            recorder,
            threads);
    context.getStore(NS).put(SESSION, new SessionHolder(session));
  }

  /**
   * Where the test's body is: its method in its class's file ({@code BankTest.java}). Not a frame
   * of the stack the body's task is made on, which is JUnit's (the method has not started yet); the
   * JVM keeps no line for a method, so the file alone.
   */
  private static dev.moire.model.Source bodySource(ExtensionContext context) {
    Class<?> type = context.getRequiredTestClass();
    Class<?> outer = type;
    while (outer.getEnclosingClass() != null) {
      outer = outer.getEnclosingClass();
    }
    return new dev.moire.model.Source(
        outer.getSimpleName() + ".java",
        -1,
        context.getTestMethod().map(m -> m.getDeclaringClass().getName()).orElse(type.getName()),
        context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test"));
  }

  /** Whether the test method takes a {@link MoireGraph}. */
  private static boolean readsTheGraph(ExtensionContext context) {
    return context
        .getTestMethod()
        .map(m -> java.util.Arrays.asList(m.getParameterTypes()).contains(MoireGraph.class))
        .orElse(false);
  }

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    session(context).ifPresent(TestSession::startWatchdog);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    runBody(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    runBody(invocation, context);
  }

  /** Runs the test method where the settings say: on moire's thread, or on JUnit's. */
  private static void runBody(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    Optional<TestSession> session = session(context);
    if (session.isEmpty()
        || session.get().settings.bodyThread() == MoireTracked.BodyThread.CALLER) {
      invocation.proceed();
    } else {
      session.get().runBody(invocation);
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    Optional<TestSession> maybe = session(context);
    if (maybe.isEmpty()) {
      throw thrown;
    }
    TestSession session = maybe.get();
    session.stopWatchdog();
    Optional<DeadlockDetectedError> error = session.error();
    if (error.isPresent()) {
      DeadlockDetectedError e = error.get();
      if (thrown != e) {
        e.addSuppressed(thrown);
      }
      throw e;
    }
    if (session.storedId().isEmpty()) {
      try {
        Snapshot s = session.evidenceSnapshot();
        List<Finding> findings = TestSession.findings(s, session.settings, false, session.world());
        Optional<Path> page = session.store("failure", String.valueOf(thrown), s, findings);
        thrown.addSuppressed(Evidence.of(session.testName, "failure", s, findings, page));
      } catch (RuntimeException e) {
        thrown.addSuppressed(e);
      }
    } else {
      session.lastEvidence().ifPresent(thrown::addSuppressed); // stored before the interrupt
    }
    throw thrown;
  }

  @Override
  public void beforeThreadInterrupt(PreInterruptContext pre, ExtensionContext context) {
    Optional<TestSession> maybe = session(context);
    if (maybe.isEmpty()) {
      return;
    }
    TestSession session = maybe.get();
    Snapshot s = session.evidenceSnapshot(); // now, before the interrupt wakes the waiters
    List<Finding> findings = TestSession.findings(s, session.settings, false, session.world());
    Optional<Path> page =
        session.store(
            "timeout",
            "timed out after "
                + session.elapsed().toMillis()
                + " ms (JUnit @Timeout)"
                + session.loopers().describe().stream()
                    .map(l -> "; " + l)
                    .reduce("", String::concat),
            s,
            findings);
    session.setLastEvidence(
        Evidence.of(session.testName, "timeout", s, findings, page, session.loopers().describe()));
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    Optional<TestSession> maybe = session(context);
    if (maybe.isEmpty()) {
      return;
    }
    TestSession session = maybe.get();
    session.stopWatchdog();
    Optional<DeadlockDetectedError> error = session.error();
    if (error.isPresent() && context.getExecutionException().isEmpty()) {
      throw error.get(); // the body swallowed the abort; the test still deadlocked
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Optional<TestSession> maybe = session(context);
    if (maybe.isEmpty()) {
      return;
    }
    TestSession session = maybe.get();
    try {
      if (context.getExecutionException().isEmpty()) {
        endOfTestChecks(context, session);
        if (session.settings.record() == MoireTracked.Record.ALWAYS
            && session.storedId().isEmpty()) {
          Snapshot s = session.snapshot();
          session.store("passed", "", s, TestSession.findings(s, session.settings, true));
        }
      }
    } finally {
      context.getStore(NS).remove(SESSION);
      session.close();
      if (session.storedId().isPresent()) {
        publish(context, session, session.storedId().getAsLong());
      }
    }
  }

  private static void endOfTestChecks(ExtensionContext context, TestSession session) {
    Settings settings = session.settings;
    if (settings.leakedHolds() == MoireTracked.Check.OFF
        && settings.danglingReceivers() == MoireTracked.Check.OFF) {
      return;
    }
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Snapshot s;
    List<Finding> all;
    List<Finding> found;
    while (true) {
      s = session.snapshot();
      all = TestSession.findings(s, settings, true);
      Set<EntityId> members = s.membersOf(session.scope()).collect(Collectors.toSet());
      found = new ArrayList<>();
      for (Finding f : all) {
        if (checkFor(f.kind(), settings) != MoireTracked.Check.OFF
            && f.entities().stream().anyMatch(members::contains)) {
          found.add(f);
        }
      }
      // A thread that is about to release what it holds gets a moment; a receiver does not heal.
      boolean onlyDangling =
          found.stream().allMatch(f -> f.kind() == FindingKind.DANGLING_RECEIVER);
      if (found.isEmpty() || onlyDangling || System.nanoTime() > deadline) {
        break;
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    List<Finding> failing = new ArrayList<>();
    for (Finding f : found) {
      if (checkFor(f.kind(), settings) == MoireTracked.Check.FAIL) {
        failing.add(f);
      } else {
        String warning = TestSession.headline(f.kind()) + f.explanation();
        context.publishReportEntry("moire.warning", warning);
        System.err.println(session.testName + ": " + warning);
      }
    }
    if (failing.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("moire: at the end of the test, ");
    message.append(
        failing.size() == 1 ? "one finding fails it:" : failing.size() + " findings fail it:");
    for (Finding f : failing) {
      message.append("\n  - ").append(TestSession.headline(f.kind())).append(f.explanation());
    }
    boolean leaks = failing.stream().anyMatch(f -> f.kind() == FindingKind.LEAKED_HOLD);
    message.append(
        leaks
            ? "\n(to only warn, set @MoireTracked(leakedHolds = WARN) or"
                + " moire.check.leaked-holds=warn)"
            : "\n(to only warn, set @MoireTracked(danglingReceivers = WARN) or"
                + " moire.check.dangling-receivers=warn)");
    String reason =
        failing.get(0).kind() == FindingKind.LEAKED_HOLD ? "leaked_hold" : "dangling_receiver";
    Optional<Path> page = session.store(reason, message.toString(), s, all);
    page.ifPresent(p -> message.append("\nmoire report: ").append(p.toAbsolutePath()));
    throw new AssertionError(message.toString());
  }

  /** What the end-of-test check of a finding's kind does; OFF for kinds no check covers. */
  private static MoireTracked.Check checkFor(FindingKind kind, Settings settings) {
    return switch (kind) {
      case LEAKED_HOLD -> settings.leakedHolds();
      case DANGLING_RECEIVER -> settings.danglingReceivers();
      default -> MoireTracked.Check.OFF;
    };
  }

  /**
   * False once publishing failed to link: JUnit 5.12 and 5.13 have {@code publishFile} with a
   * {@code MediaType} of another package than the one moire is compiled against (5.14+).
   */
  private static volatile boolean publishable = true;

  private static void publish(ExtensionContext context, TestSession session, long id) {
    try {
      if (session.recorder.refreshReport().isEmpty()) {
        return; // said once already: the report directory cannot be written
      }
      Path page = session.recorder.pageOf(id).orElseThrow();
      if (publishable && Files.exists(page)) {
        publishPage(context, page);
      }
    } catch (LinkageError e) {
      publishable = false; // an older JUnit: the report is written, only not published
    } catch (RuntimeException e) {
      // Publishing is a convenience (an output directory may not be configured); the report and
      // the store are written already, and the failure message names them.
      System.err.println(
          "moire: could not publish the report of "
              + session.testName
              + ": "
              + e
              + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
    }
  }

  /** Publishes a page through JUnit's {@code publishFile} (JUnit 5.14+'s signature). */
  private static void publishPage(ExtensionContext context, Path page) {
    context.publishFile(
        page.getFileName().toString(),
        MediaType.create("text", "html"),
        target -> Files.copy(page, target, StandardCopyOption.REPLACE_EXISTING));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MoireGraph.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new MoireGraph(
        session(context)
            .orElseThrow(
                () ->
                    new ParameterResolutionException(
                        "no moire graph for "
                            + context.getDisplayName()
                            + ": moire is disabled (moire.enabled=false), or the parameter belongs"
                            + " to a method that runs outside a test (such as @BeforeAll)")));
  }

  private static Optional<TestSession> session(ExtensionContext context) {
    SessionHolder h = context.getStore(NS).get(SESSION, SessionHolder.class);
    return h == null ? Optional.empty() : Optional.of(h.session());
  }

  /** Keeps JUnit from closing a session itself: the session must close on the test's thread. */
  private record SessionHolder(TestSession session) {}
}
