package dev.moire.junit;

import dev.moire.model.Snapshot;
import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.model.findings.FindingSettings;
import dev.moire.model.findings.Findings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Evaluates one test's part of the graph every interval, on a thread of its own, and reports the
 * first certain finding that has lasted for the grace period.
 *
 * <p>Invariants: {@link #run} is the only reader and writer of its local state; the test and the
 * watchdog communicate through {@link #stopped} and the {@code onVerdict} callback, which runs at
 * most once, on the watchdog thread, before {@link #run} returns.
 *
 * <p>A global stall is also vetoed while any thread outside the test burns CPU (at least a fifth of
 * the wall time since the stall began): a pool thread that existed before the test may be working
 * for it, and a missed detection costs only a timeout where a false one costs trust.
 */
final class Watchdog implements Runnable {
  /** What the watchdog found, with the snapshot that shows it. */
  record Verdict(Finding finding, Snapshot snapshot, List<Finding> findings) {}

  private static final List<FindingKind> FATAL =
      List.of(FindingKind.DEADLOCK_CYCLE, FindingKind.LOST_SENDER, FindingKind.GLOBAL_STALL);

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
    FindingSettings settings = FindingSettings.defaults().withStallGrace(grace);
    Snapshot previous = null;
    long quietSince = System.nanoTime();
    Map<String, Long> firstSeen = new HashMap<>();
    Map<Long, Long> cpuAtStall = null;
    long stallSince = 0;
    while (!stopped) {
      LockSupport.parkNanos(interval.toNanos());
      if (stopped) {
        return;
      }
      Snapshot s;
      try {
        s = session.snapshot();
      } catch (RuntimeException e) {
        continue; // a snapshot that failed says nothing; the next one may not
      }
      long now = System.nanoTime();
      if (previous == null || !sameGraph(previous, s)) {
        quietSince = now;
      }
      previous = s;
      List<Finding> findings =
          Findings.analyze(s, settings, Optional.of(Duration.ofNanos(now - quietSince)));
      Map<String, Long> seen = new HashMap<>();
      Finding fire = null;
      boolean stallCandidate = false;
      for (FindingKind kind : FATAL) {
        for (Finding f : findings) {
          if (f.kind() != kind) {
            continue;
          }
          if (kind == FindingKind.GLOBAL_STALL) {
            stallCandidate = true;
          }
          if (f.certainty() != Certainty.CERTAIN) {
            continue;
          }
          String key = f.kind() + " " + f.entities();
          long since = firstSeen.getOrDefault(key, now);
          seen.put(key, since);
          if (fire == null && now - since >= graceFor(kind)) {
            fire = f;
          }
        }
      }
      firstSeen = seen;
      if (fire != null
          && fire.kind() == FindingKind.GLOBAL_STALL
          && seen.keySet().stream().anyMatch(k -> !k.startsWith(FindingKind.GLOBAL_STALL + " "))) {
        // A certain cycle or lost sender says more than "everything is blocked": it is due within
        // the grace period, so the stall waits for it (their clocks may start a tick apart).
        fire = null;
      }
      if (stallCandidate && cpuAtStall == null) {
        cpuAtStall = TestThreads.cpuOutside(session.threads());
        stallSince = now;
      } else if (!stallCandidate) {
        cpuAtStall = null;
      }
      if (fire != null && fire.kind() == FindingKind.GLOBAL_STALL && cpuAtStall != null) {
        long busiest = TestThreads.busiestSince(cpuAtStall);
        if (busiest * 5 >= now - stallSince) {
          // Someone outside the test's known threads is working: perhaps for the test.
          cpuAtStall = TestThreads.cpuOutside(session.threads());
          stallSince = now;
          quietSince = now;
          fire = null;
        }
      }
      if (fire != null) {
        onVerdict.accept(new Verdict(fire, s, findings));
        return;
      }
    }
  }

  /** A stall's certainty already includes the grace period of silence. */
  private long graceFor(FindingKind kind) {
    return kind == FindingKind.GLOBAL_STALL ? 0 : grace.toNanos();
  }

  /** Whether two snapshots show the same graph, whatever their threads and cut times. */
  private static boolean sameGraph(Snapshot a, Snapshot b) {
    return a.entities().equals(b.entities())
        && a.edges().equals(b.edges())
        && a.events().size() == b.events().size()
        && a.events().equals(b.events());
  }
}
