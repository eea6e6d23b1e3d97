package dev.moire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.ScopeKind;
import dev.moire.model.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class JournalReplayTest {
  private static final int THREADS = 8;
  private static final int OPS_PER_THREAD = 2_000;

  @Test
  @Timeout(120)
  void randomConcurrentHandleOperations_replayToTheLiveGraph_withoutAGap() throws Exception {
    RuntimeSettings settings =
        RuntimeSettings.defaults().withJournalCapacity(1 << 20).withEventCapacity(500);
    MoireRuntime runtime = MoireRuntime.create(settings);
    List<ScopeHandle> sharedScopes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sharedScopes.add(runtime.openScope("shared-" + i, ScopeKind.TASK));
    }
    List<EntityId> sharedTargets = new ArrayList<>();
    List<EntityHandle<EntityBody.Lock>> targets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      EntityHandle<EntityBody.Lock> t =
          runtime.createEntity("target", new EntityBody.Lock(EntityBody.LockKind.MUTEX));
      targets.add(t);
      sharedTargets.add(t.id());
    }

    // Handles left open stay reachable here: otherwise the Cleaner would remove their entities
    // while the live graph is being compared with the replay.
    List<EntityHandle<EntityBody.Latch>> leftOpen =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger ops = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < THREADS; w++) {
      long seed = 1234L * (w + 1);
      done.add(
          pool.submit(
              () -> {
                start.await();
                leftOpen.addAll(
                    workload(runtime, new Random(seed), sharedScopes, sharedTargets, ops));
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    assertThat(ops.get()).isGreaterThanOrEqualTo(10_000);

    Journals.assertReplaysToTheLiveGraph(runtime);
    Snapshot live = runtime.snapshot();
    assertThat(live.entities()).isNotEmpty();
    assertThat(live.edges()).isNotEmpty();
    leftOpen.forEach(EntityHandle::close);
    targets.forEach(EntityHandle::close);
    pool.shutdown();
  }

  private static List<EntityHandle<EntityBody.Latch>> workload(
      MoireRuntime runtime,
      Random random,
      List<ScopeHandle> scopes,
      List<EntityId> targets,
      AtomicInteger ops) {
    List<EntityHandle<EntityBody.Latch>> open = new ArrayList<>();
    List<EdgeHandle> edges = new ArrayList<>();
    EntityId me = runtime.currentTask().orElseThrow();
    for (int i = 0; i < OPS_PER_THREAD; i++) {
      int op = random.nextInt(100);
      if (open.isEmpty() || op < 15) {
        open.add(runtime.createEntity("e" + random.nextInt(20), new EntityBody.Latch(3)));
      } else {
        EntityHandle<EntityBody.Latch> h = open.get(random.nextInt(open.size()));
        if (op < 25) {
          open.add(h.clone());
        } else if (op < 50) {
          long next = random.nextInt(4); // sometimes equal: no change recorded
          h.mutate(b -> new EntityBody.Latch(next));
        } else if (op < 58) {
          h.linkToScope(scopes.get(random.nextInt(scopes.size())));
        } else if (op < 64) {
          h.unlinkFromScope(scopes.get(random.nextInt(scopes.size())));
        } else if (op < 70) {
          h.linkTo(targets.get(random.nextInt(targets.size())), EdgeKind.POLLS);
        } else if (op < 76) {
          edges.add(
              h.linkFromOwned(me, EdgeKind.WAITING_ON, random.nextBoolean(), Optional.empty()));
        } else if (op < 80 && !edges.isEmpty()) {
          edges.remove(random.nextInt(edges.size())).close();
        } else if (op < 84) {
          h.recordEvent(new EventBody.StateChanged("a", "b" + i));
        } else {
          open.remove(h);
          h.close();
        }
      }
      ops.incrementAndGet();
    }
    // Leave some open, close the rest, so the final graph is neither empty nor everything.
    List<EntityHandle<EntityBody.Latch>> kept = new ArrayList<>();
    for (int i = 0; i < open.size(); i++) {
      if (i % 2 == 0) {
        open.get(i).close();
      } else {
        kept.add(open.get(i));
      }
    }
    return kept;
  }
}
