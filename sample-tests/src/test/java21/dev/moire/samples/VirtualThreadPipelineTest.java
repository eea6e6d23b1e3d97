package dev.moire.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.moire.junit.MoireAssertions;
import dev.moire.junit.MoireGraph;
import dev.moire.junit.MoireTracked;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.Receiver;
import dev.moire.runtime.channel.Sender;
import dev.moire.runtime.sync.TrackedSemaphore;
import dev.moire.runtime.task.TrackedExecutorService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pipeline again, on virtual threads: a thousand fetchers, three at a time on the network. */
@MoireTracked
@Timeout(60)
final class VirtualThreadPipelineTest {
  @Test
  void aThousandVirtualFetchers(MoireGraph graph) throws Exception {
    MpscChannel<Long> results = Channels.mpsc("results", 16);
    TrackedSemaphore network = new TrackedSemaphore("network", 3);
    AtomicLong total = new AtomicLong();
    try (TrackedExecutorService fetchers =
            new TrackedExecutorService("fetchers", Executors.newVirtualThreadPerTaskExecutor());
        Receiver<Long> rx = results.receiver()) {
      try (Sender<Long> tx = results.sender()) {
        for (long i = 0; i < 1_000; i++) {
          long page = i;
          Sender<Long> mine = tx.clone();
          fetchers.submit(
              () -> {
                try (mine) {
                  network.acquire();
                  try {
                    mine.send(page);
                  } finally {
                    network.release();
                  }
                }
                return null;
              });
        }
      }
      await().atMost(Duration.ofSeconds(30)).until(graph.waitingOn("results"));
      for (Long page : rx) {
        total.addAndGet(page);
      }
    }
    assertThat(total).hasValue(499_500L);
    MoireAssertions.assertThat(graph.snapshot()).hasNoDeadlocks().hasNoLeakedHolds();
  }
}
