package dev.moire.model.findings;

import static dev.moire.model.EdgeKind.HOLDS;
import static dev.moire.model.EdgeKind.PAIRED_WITH;
import static dev.moire.model.EdgeKind.POLLS;
import static dev.moire.model.EdgeKind.WAITING_ON;
import static java.lang.Thread.State.BLOCKED;
import static java.lang.Thread.State.RUNNABLE;
import static java.lang.Thread.State.TERMINATED;
import static java.lang.Thread.State.TIMED_WAITING;
import static java.lang.Thread.State.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.OperationSite;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class FindingsTest {
  private final FindingSettings settings = FindingSettings.defaults();

  /** Analyses in a closed world: nothing outside the snapshot's threads could act. */
  private List<Finding> analyze(Snapshot s) {
    return Findings.analyze(s, settings, Optional.empty(), World.closed());
  }

  private List<Finding> analyzeQuiet(Snapshot s, Duration quiet) {
    return Findings.analyze(s, settings, Optional.of(quiet), World.closed());
  }

  private static List<Finding> ofKind(List<Finding> all, FindingKind kind) {
    return all.stream().filter(f -> f.kind() == kind).toList();
  }

  private static Snapshot inversion(Thread.State aState, boolean timed) {
    GraphBuilder g = new GraphBuilder();
    EntityId a = g.thread("A", aState);
    EntityId b = g.thread("B", WAITING);
    EntityId l1 = g.lock("L1");
    EntityId l2 = g.lock("L2");
    g.edge(a, HOLDS, l1)
        .edge(a, WAITING_ON, l2, timed, 0)
        .edge(b, HOLDS, l2)
        .edge(b, WAITING_ON, l1);
    return g.build();
  }

  @Test
  void lockOrderInversion_isACertainCycle_explainedWithNamesAndSources() {
    List<Finding> found = ofKind(analyze(inversion(BLOCKED, false)), FindingKind.DEADLOCK_CYCLE);
    assertThat(found)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.explanation())
                  .isEqualTo(
                      "thread 'A' waits on lock 'L2' (Bank.java:4), held by thread 'B', which waits on"
                          + " lock 'L1' (Bank.java:3), held by thread 'A'");
              assertThat(f.entities())
                  .extracting(EntityId::value)
                  .containsExactly("thread:p1:A", "lock:p1:L2", "thread:p1:B", "lock:p1:L1");
              assertThat(f.edges()).hasSize(4);
            });
  }

  @Test
  void aTimedWaitOnTheCycle_makesItOnlyPossible() {
    assertThat(ofKind(analyze(inversion(WAITING, true)), FindingKind.DEADLOCK_CYCLE))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.POSSIBLE);
  }

  @Test
  void aThreadTheJvmDoesNotConfirmBlocked_makesItOnlyPossible() {
    for (Thread.State s : List.of(RUNNABLE, TIMED_WAITING)) {
      assertThat(ofKind(analyze(inversion(s, false)), FindingKind.DEADLOCK_CYCLE))
          .singleElement()
          .extracting(Finding::certainty)
          .isEqualTo(Certainty.POSSIBLE);
    }
  }

  @Test
  void everyCycle_isReported_notOnlyTheFirst() {
    GraphBuilder g = new GraphBuilder();
    for (String p : List.of("x", "y", "z")) {
      EntityId a = g.thread(p + "A", WAITING);
      EntityId b = g.thread(p + "B", WAITING);
      EntityId l1 = g.lock(p + "1");
      EntityId l2 = g.lock(p + "2");
      g.edge(a, HOLDS, l1).edge(a, WAITING_ON, l2).edge(b, HOLDS, l2).edge(b, WAITING_ON, l1);
    }
    assertThat(ofKind(analyze(g.build()), FindingKind.DEADLOCK_CYCLE))
        .hasSize(3)
        .allMatch(f -> f.certainty() == Certainty.CERTAIN);
  }

  @Test
  void readLockHeld_writeLockWanted_isACertainSelfDeadlock() {
    GraphBuilder g = new GraphBuilder();
    EntityId t = g.thread("upgrader", WAITING);
    EntityId rw = g.add("lock", "cache", new EntityBody.Lock(EntityBody.LockKind.RW_LOCK));
    g.edge(t, HOLDS, rw).edge(t, WAITING_ON, rw);
    assertThat(ofKind(analyze(g.build()), FindingKind.DEADLOCK_CYCLE))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.explanation())
                  .isEqualTo(
                      "thread 'upgrader' waits on lock 'cache' (Bank.java:2), held by thread 'upgrader'");
            });
  }

  /** A producer holds L and waits on a full channel; its consumer waits on L before receiving. */
  private static Snapshot fullChannelBehindALock(boolean consumerUsedTheReceiver) {
    GraphBuilder g = new GraphBuilder();
    EntityId producer = g.thread("producer", WAITING);
    EntityId consumer = g.thread("consumer", WAITING);
    EntityId l = g.lock("L");
    EntityId[] ch = g.mpsc("jobs", 1, 1);
    g.edge(producer, HOLDS, l).edge(producer, POLLS, ch[0]).edge(producer, WAITING_ON, ch[0]);
    g.edge(consumer, consumerUsedTheReceiver ? POLLS : HOLDS, ch[1]).edge(consumer, WAITING_ON, l);
    return g.build();
  }

  @Test
  void aCycleThroughAChannel_isCertainOnlyInAClosedWorld_andOnlyThroughUsersSeenUsingIt() {
    Snapshot s = fullChannelBehindALock(true);
    assertThat(
            ofKind(
                Findings.analyze(s, settings, Optional.empty(), OPEN), FindingKind.DEADLOCK_CYCLE))
        .singleElement()
        .satisfies(f -> assertThat(f.certainty()).isEqualTo(Certainty.POSSIBLE));
    // Holding a receiver is not using it: a handle made by one thread may be another's.
    assertThat(ofKind(analyze(fullChannelBehindALock(false)), FindingKind.DEADLOCK_CYCLE))
        .singleElement()
        .satisfies(f -> assertThat(f.certainty()).isEqualTo(Certainty.POSSIBLE));
    List<Finding> cycles = ofKind(analyze(s), FindingKind.DEADLOCK_CYCLE);
    assertThat(cycles)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.explanation())
                  .isEqualTo(
                      "thread 'consumer' waits on lock 'L' (Bank.java:3), held by thread 'producer', which"
                          + " waits on sender of channel 'jobs:tx' (Bank.java:4), which is full and is"
                          + " drained only through receiver of channel 'jobs:rx', used by thread 'consumer'");
            });
  }

  @Test
  void aConsumerWaiting_whileItsProducerRuns_isNoFinding() {
    GraphBuilder g = new GraphBuilder();
    EntityId producer = g.thread("producer", RUNNABLE);
    EntityId consumer = g.thread("consumer", WAITING);
    EntityId[] ch = g.mpsc("jobs", 4, 0);
    g.edge(producer, HOLDS, ch[0]).edge(producer, POLLS, ch[0]);
    g.edge(consumer, HOLDS, ch[1]).edge(consumer, POLLS, ch[1]).edge(consumer, WAITING_ON, ch[1]);
    assertThat(analyze(g.build())).isEmpty();
  }

  @Test
  void aTransientCycleThroughATimedWait_yieldsNoCertainFinding() {
    GraphBuilder g = new GraphBuilder();
    EntityId a = g.thread("A", TIMED_WAITING);
    EntityId b = g.thread("B", WAITING);
    EntityId l1 = g.lock("L1");
    EntityId l2 = g.lock("L2");
    g.edge(a, HOLDS, l1)
        .edge(a, WAITING_ON, l2, true, 0)
        .edge(b, HOLDS, l2)
        .edge(b, WAITING_ON, l1);
    assertThat(analyze(g.build())).noneMatch(f -> f.certainty() == Certainty.CERTAIN);
  }

  @Test
  void aReceiverWhoseSenderNobodyHasAnyMore_isALostSender() {
    GraphBuilder g = new GraphBuilder();
    EntityId consumer = g.thread("consumer", WAITING);
    EntityId[] ch = g.mpsc("results", 4, 0);
    g.edge(consumer, POLLS, ch[1]).edge(consumer, WAITING_ON, ch[1]);
    List<Finding> lost = ofKind(analyze(g.build()), FindingKind.LOST_SENDER);
    assertThat(lost)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.explanation())
                  .isEqualTo(
                      "thread 'consumer' waits on receiver of channel 'results:rx' (Bank.java:3), but its"
                          + " sender of channel 'results:tx' (created at Bank.java:2) is open and held or"
                          + " used by no live task that could send: whoever had it ended, or dropped it, without closing it");
            });
  }

  @Test
  void aSenderHeldOnlyByAnEndedThread_isLost_andTheThreadIsNamed() {
    GraphBuilder g = new GraphBuilder();
    EntityId consumer = g.thread("consumer", WAITING);
    EntityId producer = g.thread("producer", TERMINATED);
    EntityId[] ch = g.mpsc("results", 4, 0);
    g.edge(producer, HOLDS, ch[0]).edge(producer, POLLS, ch[0]);
    g.edge(consumer, POLLS, ch[1]).edge(consumer, WAITING_ON, ch[1]);
    assertThat(ofKind(analyze(g.build()), FindingKind.LOST_SENDER))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.entities()).contains(producer);
              assertThat(f.explanation())
                  .isEqualTo(
                      "thread 'consumer' waits on receiver of channel 'results:rx' (Bank.java:4),"
                          + " but its sender of channel 'results:tx' (created at Bank.java:3) is"
                          + " open, and held or used only by thread 'producer', which has ended without"
                          + " closing it");
            });
  }

  @Test
  void aConsumerHoldingTheOnlySender_whileItsProducerEnded_isALostSender() {
    GraphBuilder g = new GraphBuilder();
    EntityId consumer = g.thread("consumer", WAITING);
    EntityId producer = g.thread("producer", TERMINATED);
    EntityId[] ch = g.mpsc("jobs", 4, 0);
    g.edge(consumer, HOLDS, ch[0]).edge(producer, POLLS, ch[0]);
    g.edge(consumer, POLLS, ch[1]).edge(consumer, WAITING_ON, ch[1]);
    assertThat(ofKind(analyze(g.build()), FindingKind.LOST_SENDER))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.explanation())
                  .contains("held or used only by thread 'producer', which has ended")
                  .endsWith("(the only live task that has it waits on the receiver)");
            });
  }

  @Test
  void aLostSender_isOnlyPossible_whileAnotherThreadLives_orTheWaitIsTimed() {
    GraphBuilder blocked = new GraphBuilder();
    EntityId waiter = blocked.thread("consumer", WAITING);
    blocked.thread("exporter", WAITING); // blocked elsewhere, may hold the sender unseen
    EntityId[] header = blocked.mpsc("header", 1, 0);
    blocked.edge(waiter, HOLDS, header[0]).edge(waiter, WAITING_ON, header[1]);
    assertThat(ofKind(analyze(blocked.build()), FindingKind.LOST_SENDER))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.POSSIBLE);

    GraphBuilder running = new GraphBuilder();
    EntityId consumer = running.thread("consumer", WAITING);
    running.thread("computing", Thread.State.RUNNABLE);
    EntityId[] ch = running.mpsc("jobs", 4, 0);
    running.edge(consumer, HOLDS, ch[0]).edge(consumer, WAITING_ON, ch[1]);
    assertThat(ofKind(analyze(running.build()), FindingKind.LOST_SENDER))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.POSSIBLE);

    GraphBuilder timed = new GraphBuilder();
    EntityId poller = timed.thread("poller", Thread.State.TIMED_WAITING);
    EntityId[] ch2 = timed.mpsc("jobs", 4, 0);
    timed.edge(poller, WAITING_ON, ch2[1], true, 0);
    assertThat(ofKind(analyze(timed.build()), FindingKind.LOST_SENDER))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.POSSIBLE);
  }

  @Test
  void aSemaphoreCycle_namesEveryHolder_andIsOnlyPossibleWhileAHolderOutsideItRuns() {
    GraphBuilder g = new GraphBuilder();
    EntityId a = g.thread("job-a", WAITING);
    EntityId b = g.thread("job-b", WAITING);
    EntityId pool = g.add("semaphore", "connections", new EntityBody.Semaphore(2, 2));
    g.edge(a, HOLDS, pool).edge(b, HOLDS, pool).edge(a, WAITING_ON, pool).edge(b, WAITING_ON, pool);
    assertThat(ofKind(analyze(g.build()), FindingKind.DEADLOCK_CYCLE))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.explanation())
                  .startsWith(
                      "thread 'job-a' waits on semaphore 'connections' (Bank.java:3), held by"
                          + " thread 'job-a' and thread 'job-b'")
                  .endsWith("; thread 'job-b' waits on semaphore 'connections' (Bank.java:3)");
            });

    GraphBuilder h = new GraphBuilder();
    EntityId waiter = h.thread("job-a", WAITING);
    EntityId busy = h.thread("job-b", Thread.State.RUNNABLE);
    EntityId sem = h.add("semaphore", "connections", new EntityBody.Semaphore(2, 2));
    h.edge(waiter, HOLDS, sem).edge(busy, HOLDS, sem).edge(waiter, WAITING_ON, sem);
    assertThat(ofKind(analyze(h.build()), FindingKind.DEADLOCK_CYCLE))
        .allSatisfy(f -> assertThat(f.certainty()).isEqualTo(Certainty.POSSIBLE));
  }

  @Test
  void aReceiverWithoutSender_isDangling() {
    GraphBuilder g = new GraphBuilder();
    g.add("mpsc", "orphan:rx", new EntityBody.MpscRx(3));
    assertThat(ofKind(analyze(g.build()), FindingKind.DANGLING_RECEIVER))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.WARNING);
  }

  @Test
  void aFuture_isNeverADanglingReceiver_norALostSender() {
    GraphBuilder g = new GraphBuilder();
    // A completed future whose completing side has gone, still referenced: nothing to close.
    g.add("oneshot", "quote:rx", new EntityBody.OneshotRx(true));
    // A future waited on whose completing side nobody uses: whoever holds it may complete it.
    EntityId main = g.thread("main", WAITING);
    EntityId tx = g.add("oneshot", "price:tx", new EntityBody.OneshotTx(false, true));
    EntityId rx = g.add("oneshot", "price:rx", new EntityBody.OneshotRx(true));
    g.edge(tx, PAIRED_WITH, rx).edge(main, WAITING_ON, rx);
    List<Finding> found = analyze(g.build());
    assertThat(ofKind(found, FindingKind.DANGLING_RECEIVER)).isEmpty();
    assertThat(ofKind(found, FindingKind.LOST_SENDER)).isEmpty();
    assertThat(ofKind(found, FindingKind.GLOBAL_STALL))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.explanation())
                    .contains("'main' WAITING waiting on future 'price:rx'"));
  }

  @Test
  void aStall_onALatch_orAFuture_saysWhereTheMissingCountOrCompletionWouldComeFrom() {
    dev.moire.model.Source warm = new dev.moire.model.Source("Warmer.java", 30, "Warmer", "warm");
    dev.moire.model.Source reply =
        new dev.moire.model.Source("Client.java", 25, "Client", "onReply");
    GraphBuilder g = new GraphBuilder();
    EntityId main = g.thread("main", WAITING);
    EntityId latch =
        g.add(
            "latch",
            "warmed",
            new EntityBody.Latch(
                1,
                List.of(
                    new dev.moire.model.OperationSite(warm, List.of("warm-0", "warm-2"), false))));
    g.edge(main, WAITING_ON, latch);
    EntityId other = g.thread("other", WAITING);
    EntityId tx = g.add("oneshot", "quote:tx", new EntityBody.OneshotTx(false, true));
    EntityId rx =
        g.add(
            "oneshot",
            "quote:rx",
            new EntityBody.OneshotRx(
                true,
                List.of(
                    new dev.moire.model.OperationSite(reply, List.of("a", "b", "c", "d"), true))));
    g.edge(tx, PAIRED_WITH, rx).edge(other, WAITING_ON, rx);
    assertThat(ofKind(analyzeQuiet(g.build(), Duration.ofSeconds(1)), FindingKind.GLOBAL_STALL))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.explanation())
                    .contains(
                        "'main' WAITING waiting on latch 'warmed' (Bank.java:2), 1 count to come,"
                            + " counted down at Warmer.java:30 by thread 'warm-0' and thread"
                            + " 'warm-2'")
                    .contains(
                        "waiting on future 'quote:rx' (Bank.java:5), created at Bank.java:5;"
                            + " others made there were completed at Client.java:25 by thread 'a',"
                            + " thread 'b', thread 'c', thread 'd' and others"));
  }

  @Test
  void aStall_onAJoinAndAMonitorWait_saysWhereTheThreadStarted_andWhereTheObjectWasNotified() {
    Source started = new Source("MailboxStory.java", 36, "MailboxStory", "deliverThenRead");
    Source notified = new Source("Mailbox.java", 16, "Mailbox", "deliver");
    GraphBuilder g = new GraphBuilder();
    EntityId main = g.thread("main", WAITING);
    EntityId reader = g.thread("reader", WAITING);
    g.edge(main, WAITING_ON, reader);
    g.row(
        "reader",
        t ->
            new ThreadSnapshot(
                    t.threadId(),
                    t.name(),
                    false,
                    WAITING,
                    Optional.of("java.lang.Object@1f"),
                    Optional.empty(),
                    List.of(
                        new Source("Object.java", -1, "java.lang.Object", "wait0"),
                        new Source("Object.java", 338, "java.lang.Object", "wait"),
                        new Source("Mailbox.java", 23, "Mailbox", "read")),
                    Optional.empty())
                .withSignals(
                    Optional.of(started),
                    List.of(new OperationSite(notified, List.of("postman"), false))));
    assertThat(ofKind(analyzeQuiet(g.build(), Duration.ofSeconds(1)), FindingKind.GLOBAL_STALL))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.explanation())
                    .contains(
                        "'main' WAITING waiting for thread 'reader', started at"
                            + " MailboxStory.java:36, to end (Bank.java:",
                        "'reader' WAITING outside moire on java.lang.Object@1f in Object.wait"
                            + " (Mailbox.java:23), notified at Mailbox.java:16 by thread"
                            + " 'postman'"));
  }

  @Test
  void everyThreadBlocked_andQuiet_isACertainStall_butOneRunningThreadRulesItOut() {
    GraphBuilder g = new GraphBuilder();
    EntityId main = g.thread("main", WAITING);
    EntityId latch = g.add("latch", "ready", new EntityBody.Latch(1));
    g.edge(main, WAITING_ON, latch);
    g.untrackedThread("helper", WAITING, "java.lang.Thread@1f");
    Snapshot s = g.build();
    assertThat(ofKind(analyzeQuiet(s, Duration.ofSeconds(1)), FindingKind.GLOBAL_STALL))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.explanation())
                  .contains("'main' WAITING waiting on latch 'ready' (Bank.java:2)")
                  .contains(
                      "'helper' WAITING outside moire on java.lang.Thread@1f in Thread.join"
                          + " (Thread.java:2000)");
            });
    assertThat(ofKind(analyzeQuiet(s, Duration.ofMillis(10)), FindingKind.GLOBAL_STALL))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.POSSIBLE);

    g.untrackedThread("spinner", RUNNABLE, "none");
    assertThat(ofKind(analyzeQuiet(g.build(), Duration.ofSeconds(1)), FindingKind.GLOBAL_STALL))
        .isEmpty();
  }

  @Test
  void holdsLeftAtTheEnd_orByAnEndedHolder_areLeaked() {
    GraphBuilder g = new GraphBuilder();
    EntityId done = g.thread("done", TERMINATED);
    EntityId live = g.thread("live", RUNNABLE);
    EntityId l = g.lock("L");
    EntityId s = g.add("semaphore", "permits", new EntityBody.Semaphore(2, 2));
    g.edge(done, HOLDS, l).edge(live, HOLDS, s);
    Snapshot snap = g.build();
    assertThat(ofKind(analyze(snap), FindingKind.LEAKED_HOLD))
        .singleElement()
        .extracting(Finding::explanation)
        .isEqualTo("thread 'done' still holds lock 'L' (Bank.java:3) although it has ended");
    assertThat(
            ofKind(Findings.analyze(snap, settings.withTestEnded(true)), FindingKind.LEAKED_HOLD))
        .hasSize(2);
  }

  @Test
  void longWaitsAndHolds_areWarnings_pastTheirThresholds() {
    GraphBuilder g = new GraphBuilder();
    EntityId t = g.thread("slow", RUNNABLE);
    EntityId u = g.thread("waiter", TIMED_WAITING);
    EntityId l = g.lock("L");
    g.edge(t, HOLDS, l, false, 0).edge(u, WAITING_ON, l, true, 9_000_000_000L);
    Snapshot s = g.at(10_000_000_000L).build();
    List<Finding> found = analyze(s);
    assertThat(ofKind(found, FindingKind.LONG_HOLD))
        .singleElement()
        .extracting(Finding::explanation)
        .isEqualTo("thread 'slow' has held lock 'L' (Bank.java:3) for 10000 ms");
    assertThat(ofKind(found, FindingKind.LONG_WAIT)).isEmpty();
    assertThat(
            ofKind(
                Findings.analyze(s, settings.withLongWait(Duration.ofMillis(500))),
                FindingKind.LONG_WAIT))
        .hasSize(1);
  }

  @Test
  void findings_areDeterministic_whateverTheInputOrder() {
    Snapshot s = inversion(WAITING, false);
    List<Finding> first = analyze(s);
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      List<dev.moire.model.Edge> edges = new ArrayList<>(s.edges());
      List<dev.moire.model.Entity> entities = new ArrayList<>(s.entities());
      Collections.shuffle(edges, random);
      Collections.shuffle(entities, random);
      Snapshot shuffled =
          new Snapshot(
              s.runtime(),
              s.seq(),
              s.at(),
              entities,
              s.scopes(),
              s.links(),
              edges,
              s.events(),
              s.threads());
      assertThat(analyze(shuffled)).isEqualTo(first);
    }
  }

  // ---- the verdict rule: closed world, stable evidence ----

  private static final World OPEN =
      World.openBy(List.of("'process reaper' RUNNABLE in ProcessHandleImpl.waitForProcessExit0"));

  private static Snapshot blockedOnLatch() {
    GraphBuilder g = new GraphBuilder();
    EntityId main = g.thread("main", WAITING);
    EntityId latch = g.add("latch", "ready", new EntityBody.Latch(1));
    g.edge(main, WAITING_ON, latch);
    return g.build();
  }

  @Test
  void aStallInAnOpenWorld_isOnlyPossible_andSaysWhatKeepsItOpen() {
    List<Finding> found =
        ofKind(
            Findings.analyze(blockedOnLatch(), settings, Optional.of(Duration.ofSeconds(1)), OPEN),
            FindingKind.GLOBAL_STALL);
    assertThat(found)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.POSSIBLE);
              assertThat(f.explanation())
                  .endsWith(
                      "(not certain: a thread outside the stuck ones could still act: 'process"
                          + " reaper' RUNNABLE in ProcessHandleImpl.waitForProcessExit0)");
            });
  }

  @Test
  void aStallOfAnUnobservedWorld_isOnlyPossible() {
    assertThat(
            ofKind(
                Findings.analyze(blockedOnLatch(), settings, Optional.of(Duration.ofSeconds(1))),
                FindingKind.GLOBAL_STALL))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.POSSIBLE);
  }

  @Test
  void aLockCycle_isCertainEvenInAnOpenWorld_butASemaphoreCycleIsNot() {
    assertThat(
            ofKind(
                Findings.analyze(inversion(BLOCKED, false), settings, Optional.empty(), OPEN),
                FindingKind.DEADLOCK_CYCLE))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.CERTAIN);

    GraphBuilder g = new GraphBuilder();
    EntityId a = g.thread("job-a", WAITING);
    EntityId b = g.thread("job-b", WAITING);
    EntityId pool = g.add("semaphore", "connections", new EntityBody.Semaphore(2, 2));
    g.edge(a, HOLDS, pool).edge(b, HOLDS, pool).edge(a, WAITING_ON, pool).edge(b, WAITING_ON, pool);
    assertThat(
            ofKind(
                Findings.analyze(g.build(), settings, Optional.empty(), OPEN),
                FindingKind.DEADLOCK_CYCLE))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.POSSIBLE);
  }

  @Test
  void aLimiterReleasedByItsWorker_isNeverACertainCycle_norALeakedHold() {
    // The test thread acquired, a worker released (a hand-off): the holds edge is stale.
    GraphBuilder g = new GraphBuilder();
    EntityId main = g.thread("main", WAITING);
    EntityId limiter =
        g.add(
            "semaphore",
            "in-flight",
            new EntityBody.Semaphore(1, 1, Optional.of("Client.java:31")));
    g.edge(main, HOLDS, limiter).edge(main, WAITING_ON, limiter);
    List<Finding> found = analyze(g.build());
    assertThat(ofKind(found, FindingKind.DEADLOCK_CYCLE))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.POSSIBLE);
              assertThat(f.explanation())
                  .isEqualTo(
                      "thread 'main' waits on semaphore 'in-flight' (Bank.java:2), 1 permit held,"
                          + " holders unknown since a hand-off at Client.java:31 (last known:"
                          + " thread 'main')");
            });
    assertThat(
            ofKind(
                Findings.analyze(g.build(), settings.withTestEnded(true)), FindingKind.LEAKED_HOLD))
        .isEmpty();
  }

  @Test
  void aWaiterTheGraphSaysShouldRun_isNoCertainStall() {
    GraphBuilder g = new GraphBuilder();
    EntityId consumer = g.thread("consumer", WAITING);
    EntityId[] ch = g.mpsc("jobs", 4, 4);
    g.edge(consumer, WAITING_ON, ch[1]);
    assertThat(ofKind(analyzeQuiet(g.build(), Duration.ofSeconds(1)), FindingKind.GLOBAL_STALL))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.POSSIBLE);
              assertThat(f.explanation())
                  .contains(
                      "(not certain: receiver of channel 'jobs:rx' is waited on although its channel"
                          + " holds 4 messages)");
            });

    GraphBuilder h = new GraphBuilder();
    EntityId waiter = h.thread("waiter", WAITING);
    EntityId free = h.lock("free");
    h.edge(waiter, WAITING_ON, free);
    assertThat(ofKind(analyzeQuiet(h.build(), Duration.ofSeconds(1)), FindingKind.GLOBAL_STALL))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.explanation())
                    .contains("(not certain: lock 'free' is waited on although nobody holds it)"));
  }

  @Test
  void aLockTheJvmShowsWithoutAnOwner_isNoContradiction_theStallIsCertain() {
    // JDK 25's thread dump names no owner of a ReentrantLock among virtual threads: unknown, not
    // free
    GraphBuilder g = new GraphBuilder();
    EntityId a = g.thread("transfer-1", WAITING);
    EntityId b = g.thread("transfer-2", WAITING);
    EntityId first =
        g.add("lock", "ReentrantLock@1", new EntityBody.Lock(EntityBody.LockKind.MUTEX, true));
    EntityId second =
        g.add("lock", "ReentrantLock@2", new EntityBody.Lock(EntityBody.LockKind.MUTEX, true));
    g.edge(a, WAITING_ON, first).edge(b, WAITING_ON, second);
    assertThat(ofKind(analyzeQuiet(g.build(), Duration.ofSeconds(1)), FindingKind.GLOBAL_STALL))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.certainty()).isEqualTo(Certainty.CERTAIN);
              assertThat(f.explanation())
                  .contains("'transfer-1' WAITING waiting on ReentrantLock@1")
                  .contains("'transfer-2' WAITING waiting on ReentrantLock@2");
            });
  }

  @Test
  void aLostSenderInAnOpenWorld_isOnlyPossible() {
    GraphBuilder g = new GraphBuilder();
    EntityId main = g.thread("main", WAITING);
    EntityId[] ch = g.mpsc("replies", 1, 0);
    g.edge(main, WAITING_ON, ch[1]);
    assertThat(
            ofKind(
                Findings.analyze(g.build(), settings, Optional.empty(), OPEN),
                FindingKind.LOST_SENDER))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.POSSIBLE);
    assertThat(ofKind(analyze(g.build()), FindingKind.LOST_SENDER))
        .singleElement()
        .extracting(Finding::certainty)
        .isEqualTo(Certainty.CERTAIN);
  }

  @Test
  void tasksPiledUpBehindALockOfACycle_areCountedAfterIt_notWalkedInIt() {
    GraphBuilder g = new GraphBuilder();
    EntityId a = g.thread("A", WAITING);
    EntityId b = g.thread("B", WAITING);
    EntityId l1 = g.lock("L1");
    EntityId l2 = g.lock("L2");
    g.edge(a, HOLDS, l1).edge(a, WAITING_ON, l2).edge(b, HOLDS, l2).edge(b, WAITING_ON, l1);
    for (int i = 1; i <= 7; i++) {
      g.edge(g.thread("logger-" + i, BLOCKED), WAITING_ON, l1);
    }
    Finding cycle = ofKind(analyze(g.build()), FindingKind.DEADLOCK_CYCLE).get(0);
    assertThat(cycle.certainty()).isEqualTo(Certainty.CERTAIN);
    assertThat(cycle.explanation())
        .startsWith("thread 'A' waits on lock 'L2'")
        .endsWith(
            "held by thread 'A'; and 7 more tasks wait on lock 'L1' (Bank.java:3): thread"
                + " 'logger-1', thread"
                + " 'logger-2', thread 'logger-3', thread 'logger-4', thread 'logger-5' and 2"
                + " others");
  }
}
