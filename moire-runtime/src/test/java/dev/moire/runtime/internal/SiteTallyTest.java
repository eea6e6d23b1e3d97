package dev.moire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.OperationSite;
import dev.moire.model.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class SiteTallyTest {
  private static final Source A = new Source("Warmer.java", 30, "Warmer", "warm");

  private static Source line(int n) {
    return new Source("Warmer.java", n, "Warmer", "warm");
  }

  private static void on(String thread, Runnable r) throws InterruptedException {
    Thread t = new Thread(r, thread);
    t.start();
    t.join();
  }

  @Test
  void aSiteAndThreadSeenAgain_changeNothing_andSitesKeepTheirOrder() throws Exception {
    SiteTally tally = new SiteTally();
    assertThat(tally.isEmpty()).isTrue();
    on("a", () -> tally.record(A));
    on("a", () -> tally.record(A));
    on("b", () -> tally.record(A));
    on("c", () -> tally.record(line(41)));
    assertThat(tally.sites())
        .containsExactly(
            new OperationSite(A, List.of("a", "b"), false),
            new OperationSite(line(41), List.of("c"), false));
  }

  @Test
  void aFewThreadsPerSite_andAFewSites_areKept_andMoreIsSaid() throws Exception {
    SiteTally tally = new SiteTally();
    for (int i = 0; i < SiteTally.THREADS + 2; i++) {
      on("t" + i, () -> tally.record(A));
    }
    for (int i = 0; i < SiteTally.SITES + 2; i++) {
      int n = 100 + i;
      on("u", () -> tally.record(line(n)));
    }
    List<OperationSite> sites = tally.sites();
    assertThat(sites).hasSize(SiteTally.SITES);
    assertThat(sites.get(0).threads()).containsExactly("t0", "t1", "t2", "t3");
    assertThat(sites.get(0).moreThreads()).isTrue();
    assertThat(sites.get(1).moreThreads()).isFalse();
  }

  @Test
  @Timeout(30)
  void threadsRecordingAtOnce_loseNoneOfTheFirstFew() throws Exception {
    for (int round = 0; round < 200; round++) {
      SiteTally tally = new SiteTally();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < SiteTally.THREADS; i++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  tally.record(A);
                },
                "r" + i);
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      assertThat(tally.sites())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.threads()).containsExactlyInAnyOrder("r0", "r1", "r2", "r3");
                assertThat(s.moreThreads()).isFalse();
              });
    }
  }
}
