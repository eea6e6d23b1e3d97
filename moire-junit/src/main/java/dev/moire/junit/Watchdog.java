package dev.moire.junit;

import dev.moire.model.Snapshot;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import dev.moire.model.findings.World;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Evaluates one test's part of the graph every interval, on a thread of its own, and reports the
 * first finding that the verdict rule lets fail the test: certain in a closed world (see {@link
 * WorldCensus}), with stable evidence (see {@link VerdictRule}).
 *
 * <p>Invariants: {@link #run} is the only reader and writer of its local state; the test and the
 * watchdog communicate through {@link #stopped} and the {@code onVerdict} callback, which runs at
 * most once, on the watchdog thread, before {@link #run} returns. Evidence of a possible finding
 * never ends the watch: a later certain one still fails the test.
 */
final class Watchdog implements Runnable {
  /** What the watchdog found, with the snapshot that shows it. */
  record Verdict(Finding finding, Snapshot snapshot, List<Finding> findings) {}

  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private final TestSession session;
  private final Duration interval;
  private final Duration grace;
  private final Consumer<Verdict> onVerdict;
  private volatile boolean stopped;

  Watchdog(TestSession session, Duration interval, Duration grace, Consumer<Verdict> onVerdict) {
    this.session = session;
    this.interval = interval;
    this.grace = grace;
    this.onVerdict = onVerdict;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    // The stall's grace (a quiet graph, stable threads) is the verdict rule's to keep.
    FindingSettings settings = FindingSettings.defaults().withStallGrace(Duration.ZERO);
    VerdictRule rule = new VerdictRule(interval.toNanos(), grace.toNanos());
    long me = Thread.currentThread().getId();
    Snapshot previous = null;
    int failures = 0;
    long quietSince = System.nanoTime();
    while (!stopped) {
      LockSupport.parkNanos(interval.toNanos());
      if (stopped) {
        return;
      }
      Snapshot s;
      try {
        s = session.snapshot();
      } catch (RuntimeException e) {
        failures++;
        if (failures == 1) {
          // Says nothing about the test; the next one may work. Said once, so a bug shows.
          System.err.println("moire: the watchdog could not take a snapshot: " + e);
        }
        continue;
      }
      long now = System.nanoTime();
      if (previous == null || !sameGraph(previous, s)) {
        quietSince = now;
      }
      previous = s;
      Optional<Duration> quiet = Optional.of(Duration.ofNanos(now - quietSince));
      List<Finding> findings = Findings.analyze(s, settings, quiet);
      if (findings.stream().anyMatch(Watchdog::isFatal) && worthEvidence(findings, quiet.get())) {
        // Only now is the rest of the JVM worth a look: its stacks cost a handshake each.
        // The JUnit thread waiting for the body on moire's thread is machinery too.
        Set<Long> machinery = new HashSet<>(session.waitingForBody());
        machinery.add(me);
        World world = WorldCensus.observe(machinery, session.settings.housekeepingThreads());
        // The JVM's whole evidence: every monitor held, the virtual threads the test created.
        s = session.evidenceSnapshot();
        findings = Findings.analyze(s, settings, quiet, world);
      }
      Optional<Finding> fire = rule.observe(now, s, findings, Watchdog::cpuTime, quietSince);
      session.loopers().observe(s.threads(), Watchdog::cpuTime, now);

      if (fire.isPresent()) {
        onVerdict.accept(new Verdict(fire.get(), s, findings));
        return;
      }
    }
  }

  /**
   * Whether to take the JVM's whole evidence now: for a cycle or a lost sender, always; for a
   * stall, once the graph stood still since the last observation (its grace, which the rule keeps,
   * counts from then anyway). So a busy correct program whose threads are all blocked for a moment
   * now and then (a thousand virtual fetchers on three permits) is not dumped at every tick: each
   * dump is a handshake with every thread, and on JDK 25.0.3 the JSON dump of virtual threads that
   * start and end meanwhile can crash the JVM (JDK-8392031).
   */
  private static boolean worthEvidence(List<Finding> findings, Duration quiet) {
    return !quiet.isZero()
        || findings.stream().anyMatch(f -> isFatal(f) && f.kind() != FindingKind.GLOBAL_STALL);
  }

  private static boolean isFatal(Finding f) {
    return f.kind() == FindingKind.DEADLOCK_CYCLE
        || f.kind() == FindingKind.LOST_SENDER
        || f.kind() == FindingKind.GLOBAL_STALL;
  }

  /** A platform thread's CPU time so far; negative when unknown (a virtual thread, say). */
  private static long cpuTime(long threadId) {
    return MX.isThreadCpuTimeSupported() ? MX.getThreadCpuTime(threadId) : -1;
  }

  /** Whether two snapshots show the same graph, whatever their threads and cut times. */
  private static boolean sameGraph(Snapshot a, Snapshot b) {
    return a.entities().equals(b.entities())
        && a.edges().equals(b.edges())
        && a.events().size() == b.events().size()
        && a.events().equals(b.events());
  }
}
