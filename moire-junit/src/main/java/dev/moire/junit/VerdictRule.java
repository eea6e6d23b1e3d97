package dev.moire.junit;

import dev.moire.model.EntityId;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * The second half of the verdict rule, <i>stable evidence</i>, as a pure object: fed one
 * observation at a time with its time, it answers which finding, if any, fails the test now. No
 * clock and no threads of its own, so it is tested observation by observation.
 *
 * <p>A finding fails the test only when it has been certain, with the same evidence, across
 * consecutive observations spanning the grace period (for a stall, a graph that has not changed
 * either; the clock starts when the finding becomes certain, say when the world closes): the same
 * finding on the same entities, the same threads in the same states on the same blockers at the
 * same frames, and none of those threads has used CPU time meanwhile (a thread that wakes and parks
 * again at the same place is moving). When the observations themselves come late (a long GC pause,
 * a starved machine: moire could not run, so neither could anyone), the evidence gathered so far is
 * discarded. A stall that is due waits for a certain cycle or lost sender seen at the same time:
 * they say more, and their clocks may start an observation apart.
 *
 * <p>Not thread-safe: one watchdog feeds it.
 */
final class VerdictRule {
  /** Below this much CPU time between observations, a thread has not moved. */
  static final long CPU_NOISE_NANOS = 200_000;

  private static final List<FindingKind> FATAL =
      List.of(FindingKind.DEADLOCK_CYCLE, FindingKind.LOST_SENDER, FindingKind.GLOBAL_STALL);

  /** One thread's part of the evidence. */
  record ThreadEvidence(
      long threadId,
      Thread.State state,
      Optional<String> blocker,
      Optional<String> lockOwner,
      Optional<Source> top) {
    static ThreadEvidence of(ThreadSnapshot t) {
      return new ThreadEvidence(
          t.threadId(), t.state(), t.blocker(), t.lockOwner(), t.topFrames().stream().findFirst());
    }
  }

  /** What must stay the same for a finding to be stable. */
  record Key(FindingKind kind, List<EntityId> entities, List<ThreadEvidence> threads) {}

  /**
   * When the evidence of a finding was first seen as it is now, and when it first became certain
   * with it (negative while it is not): the grace counts from the latter.
   */
  private record Seen(long since, long certainSince, Map<Long, Long> cpu) {}

  private final long graceNanos;
  private final long maxGapNanos;
  private long lastObservation;
  private boolean observed;
  private Map<Key, Seen> seen = new HashMap<>();

  /**
   * Creates the rule for a watchdog that observes every {@code intervalNanos} and a grace of {@code
   * graceNanos}.
   */
  VerdictRule(long intervalNanos, long graceNanos) {
    this.graceNanos = graceNanos;
    this.maxGapNanos = 3 * intervalNanos + 25_000_000L;
  }

  /**
   * Takes one observation: the snapshot, its findings, and each thread's CPU time so far (negative
   * when unknown). Returns the finding that fails the test, once one is due.
   */
  Optional<Finding> observe(
      long nowNanos, Snapshot snapshot, List<Finding> findings, LongUnaryOperator cpuOf) {
    return observe(nowNanos, snapshot, findings, cpuOf, Long.MIN_VALUE);
  }

  /**
   * Takes one observation, knowing since when the graph has not changed ({@code quietSinceNanos}):
   * a stall's evidence is no older than the graph's last change.
   */
  Optional<Finding> observe(
      long nowNanos,
      Snapshot snapshot,
      List<Finding> findings,
      LongUnaryOperator cpuOf,
      long quietSinceNanos) {
    if (observed && nowNanos - lastObservation > maxGapNanos) {
      seen = new HashMap<>(); // moire itself could not run: what it saw before proves nothing
    }
    observed = true;
    lastObservation = nowNanos;
    Map<Key, Seen> next = new HashMap<>();
    Finding due = null;
    boolean otherCertain = false;
    for (FindingKind kind : FATAL) {
      for (Finding f : findings) {
        if (f.kind() != kind) {
          continue;
        }
        Key key = keyOf(f, snapshot);
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadEvidence t : key.threads()) {
          cpu.put(t.threadId(), cpuOf.applyAsLong(t.threadId()));
        }
        Seen before = seen.get(key);
        boolean certain = f.certainty() == Certainty.CERTAIN;
        Seen now;
        if (before == null || moved(before.cpu(), cpu)) {
          now = new Seen(nowNanos, certain ? nowNanos : -1, cpu);
        } else if (!certain) {
          now = new Seen(before.since(), -1, before.cpu());
        } else {
          // Certain from now on, or since earlier: a world that just closed starts the clock.
          now = before.certainSince() >= 0 ? before : new Seen(before.since(), nowNanos, cpu);
        }
        next.put(key, now);
        if (!certain) {
          continue;
        }
        if (kind != FindingKind.GLOBAL_STALL) {
          otherCertain = true;
        }
        long since =
            kind == FindingKind.GLOBAL_STALL
                ? Math.max(now.certainSince(), quietSinceNanos)
                : now.certainSince();
        if (due == null && nowNanos - since >= graceNanos) {
          due = f;
        }
      }
    }
    seen = next;
    if (due != null && due.kind() == FindingKind.GLOBAL_STALL && otherCertain) {
      return Optional.empty();
    }
    return Optional.ofNullable(due);
  }

  /**
   * The threads whose evidence counts: for a stall, every thread of the test; for a cycle or a lost
   * sender, the threads of its own tasks (a thread ticking beside a cycle does not unsettle it).
   */
  private static Key keyOf(Finding f, Snapshot s) {
    List<ThreadEvidence> threads = new ArrayList<>();
    for (ThreadSnapshot t : s.threads()) {
      if (t.state() == Thread.State.TERMINATED || t.state() == Thread.State.NEW) {
        continue;
      }
      boolean counts =
          f.kind() == FindingKind.GLOBAL_STALL
              || t.entity().map(e -> f.entities().contains(e)).orElse(false);
      if (counts) {
        threads.add(ThreadEvidence.of(t));
      }
    }
    threads.sort(java.util.Comparator.comparingLong(ThreadEvidence::threadId));
    return new Key(f.kind(), f.entities(), threads);
  }

  private static boolean moved(Map<Long, Long> before, Map<Long, Long> now) {
    for (Map.Entry<Long, Long> e : now.entrySet()) {
      Long b = before.get(e.getKey());
      long n = e.getValue();
      if (b == null || (b >= 0 && n >= 0 && n - b > CPU_NOISE_NANOS)) {
        return true;
      }
    }
    return false;
  }
}
