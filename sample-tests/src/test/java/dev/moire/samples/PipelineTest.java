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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A two-stage pipeline (parse, then index) over bounded channels: a fast parser is held back by a
 * slow indexer, and nothing is lost.
 */
@MoireTracked
@Timeout(30)
final class PipelineTest {
  record Doc(int id, String text) {}

  @Test
  void aFullChannel_holdsTheProducerBack_untilTheConsumerCatchesUp(MoireGraph graph)
      throws Exception {
    MpscChannel<Doc> docs = Channels.mpsc("docs", 4);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Receiver<Doc> rx = docs.receiver()) {
      Future<?> parser =
          pool.submit(
              () -> {
                try (Sender<Doc> tx = docs.sender()) {
                  for (int i = 0; i < 100; i++) {
                    tx.send(new Doc(i, "document " + i));
                  }
                }
                return null;
              });
      // Backpressure, seen rather than slept for: the parser is parked on the full channel.
      await().atMost(Duration.ofSeconds(10)).until(graph.waitingOn("docs"));
      MoireAssertions.assertThat(graph.snapshot()).hasNoDeadlocks();

      List<Integer> indexed = new ArrayList<>();
      for (Doc d : rx) {
        indexed.add(d.id());
      }
      parser.get();
      assertThat(indexed).hasSize(100).isSorted();
    } finally {
      pool.shutdown();
    }
  }
}
