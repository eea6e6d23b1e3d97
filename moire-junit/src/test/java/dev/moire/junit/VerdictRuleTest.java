package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.EntityId;
import dev.moire.model.PTime;
import dev.moire.model.RuntimeInfo;
import dev.moire.model.Snapshot;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.model.findings.World;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stable-evidence half of the verdict rule, observation by observation, with no clock. */
final class VerdictRuleTest {
  private static final long MS = 1_000_000L;
  private static final EntityId MAIN = EntityId.of("thread:p1:main");
  private static final EntityId WORKER = EntityId.of("thread:p1:worker");

  private final VerdictRule rule = new VerdictRule(10 * MS, 50 * MS);
  private final Map<Long, Long> cpu = new HashMap<>(Map.of(1L, 100L, 2L, 100L));

  private static ThreadSnapshot thread(long id, String name, Thread.State state, EntityId e) {
    return new ThreadSnapshot(
        id, name, false, state, Optional.of("Sync@1"), Optional.empty(), List.of(), Optional.of(e));
  }

  private static Snapshot snapshot(Thread.State main, Thread.State worker) {
    return new Snapshot(
        new RuntimeInfo("p1", 1, 0),
        1,
        PTime.ofNanos(1),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(thread(1, "main", main, MAIN), thread(2, "worker", worker, WORKER)));
  }

  private static Finding stall(Certainty c) {
    return new Finding(FindingKind.GLOBAL_STALL, c, List.of(MAIN, WORKER), List.of(), "stuck");
  }

  private static Finding cycle() {
    return new Finding(
        FindingKind.DEADLOCK_CYCLE, Certainty.CERTAIN, List.of(MAIN), List.of(), "a cycle");
  }

  private Optional<Finding> observe(long ms, Snapshot s, Finding... findings) {
    return rule.observe(ms * MS, s, List.of(findings), id -> cpu.getOrDefault(id, -1L));
  }

  private static final Snapshot STUCK = snapshot(Thread.State.WAITING, Thread.State.BLOCKED);

  @Test
  void aCertainFinding_firesOnlyOnceItsEvidenceHasLastedTheGrace() {
    assertThat(observe(0, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(10, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(40, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(50, STUCK, stall(Certainty.CERTAIN))).isPresent();
  }

  @Test
  void theClockStartsWhenTheFindingBecomesCertain_sayWhenTheWorldCloses() {
    // A pool thread worked for the test (an open world) and went idle an instant before the test
    // thread, woken by it, was scheduled: the evidence must be certain for the whole grace.
    assertThat(observe(0, STUCK, stall(Certainty.POSSIBLE))).isEmpty();
    assertThat(observe(300, STUCK, stall(Certainty.POSSIBLE))).isEmpty();
    assertThat(observe(310, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(350, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(360, STUCK, stall(Certainty.CERTAIN))).isPresent();
  }

  @Test
  void aStallIsDueOnlyOnceTheGraphHasBeenQuietForTheGrace() {
    assertThat(rule.observe(0, STUCK, List.of(stall(Certainty.CERTAIN)), id -> 100L, 0)).isEmpty();
    assertThat(rule.observe(50 * MS, STUCK, List.of(stall(Certainty.CERTAIN)), id -> 100L, 40 * MS))
        .isEmpty();
    assertThat(rule.observe(90 * MS, STUCK, List.of(stall(Certainty.CERTAIN)), id -> 100L, 40 * MS))
        .isPresent();
  }

  @Test
  void aThreadThatUsedCpu_restartsTheClock() {
    observe(0, STUCK, stall(Certainty.CERTAIN));
    observe(20, STUCK, stall(Certainty.CERTAIN));
    cpu.put(2L, 100L + 5 * MS); // woke, worked, and parked again at the same place
    assertThat(observe(50, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(90, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(100, STUCK, stall(Certainty.CERTAIN))).isPresent();
  }

  @Test
  void aChangedThreadState_restartsTheClock() {
    observe(0, STUCK, stall(Certainty.CERTAIN));
    observe(30, snapshot(Thread.State.WAITING, Thread.State.WAITING), stall(Certainty.CERTAIN));
    assertThat(observe(60, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(110, STUCK, stall(Certainty.CERTAIN))).isPresent();
  }

  @Test
  void lateObservations_proveNothing() {
    observe(0, STUCK, stall(Certainty.CERTAIN));
    // A 200 ms gap: moire itself could not run (a GC pause, a starved machine).
    assertThat(observe(200, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(210, STUCK, stall(Certainty.CERTAIN))).isEmpty();
    assertThat(observe(250, STUCK, stall(Certainty.CERTAIN))).isPresent();
  }

  @Test
  void aDueStall_waitsForACertainCycleSeenWithIt_whichThenFires() {
    observe(0, STUCK, stall(Certainty.CERTAIN));
    observe(30, STUCK, stall(Certainty.CERTAIN), cycle());
    assertThat(observe(50, STUCK, stall(Certainty.CERTAIN), cycle())).isEmpty();
    assertThat(observe(80, STUCK, stall(Certainty.CERTAIN), cycle()))
        .get()
        .extracting(Finding::kind)
        .isEqualTo(FindingKind.DEADLOCK_CYCLE);
  }

  @Test
  void aThreadTickingBesideACycle_doesNotUnsettleIt() {
    Snapshot ticking = snapshot(Thread.State.BLOCKED, Thread.State.TIMED_WAITING);
    Snapshot running = snapshot(Thread.State.BLOCKED, Thread.State.RUNNABLE);
    observe(0, ticking, cycle());
    cpu.put(2L, 100L + 10 * MS);
    observe(20, running, cycle());
    cpu.put(2L, 100L + 20 * MS);
    assertThat(observe(50, ticking, cycle())).isPresent();
  }

  @Test
  void theWorldCensus_opensTheWorldByEveryThreadThatCouldAct() {
    StackTraceElement getTask =
        new StackTraceElement("java.util.concurrent.ThreadPoolExecutor", "getTask", null, 1);
    StackTraceElement delayed =
        new StackTraceElement(
            "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "take", null, 1);
    StackTraceElement sleep = new StackTraceElement("com.acme.Poller", "loop", "Poller.java", 9);
    List<WorldCensus.Observed> idle =
        List.of(
            new WorldCensus.Observed(1, "stuck", Thread.State.WAITING, List.of()),
            new WorldCensus.Observed(2, "Common-Cleaner", Thread.State.TIMED_WAITING, List.of()),
            new WorldCensus.Observed(
                3, "pool-1-thread-1", Thread.State.TIMED_WAITING, List.of(getTask)),
            new WorldCensus.Observed(
                4, "surefire-forkedjvm-command-thread", Thread.State.RUNNABLE, List.of()));
    assertThat(WorldCensus.judge(idle)).isEqualTo(World.closed());

    World open =
        WorldCensus.judge(
            List.of(
                new WorldCensus.Observed(
                    5, "scheduler", Thread.State.TIMED_WAITING, List.of(delayed, getTask)),
                new WorldCensus.Observed(6, "poller", Thread.State.TIMED_WAITING, List.of(sleep)),
                new WorldCensus.Observed(7, "reader", Thread.State.RUNNABLE, List.of())));
    assertThat(open.isClosed()).isFalse();
    assertThat(open.active())
        .containsExactly(
            "'scheduler' TIMED_WAITING in ScheduledThreadPoolExecutor$DelayedWorkQueue.take",
            "'poller' TIMED_WAITING in Poller.loop",
            "'reader' RUNNABLE");
  }
}
