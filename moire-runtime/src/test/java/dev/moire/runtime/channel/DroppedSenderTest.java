package dev.moire.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EntityId;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class DroppedSenderTest {
  private final MoireRuntime runtime = MoireRuntime.create(RuntimeSettings.defaults());

  /** Makes a channel, sends two messages and drops the sender without closing it. */
  private Receiver<String> channelWithADroppedSender() throws InterruptedException {
    MpscChannel<String> ch = Channels.on(runtime).mpsc("forgotten", 4);
    ch.sender().send("a");
    ch.sender().send("b");
    return ch.receiver();
  }

  @Test
  @Timeout(60)
  void aSenderDroppedWithoutClose_closesTheChannel_onceCollected() throws Exception {
    Receiver<String> rx = channelWithADroppedSender();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<List<String>> loop =
          pool.submit(
              () -> {
                List<String> got = new ArrayList<>();
                for (String s : rx) {
                  got.add(s);
                }
                return got;
              });
      GraphProbe graph = new GraphProbe(runtime);
      EntityId txId = EntityId.of(rx.id().value().replace(":rx", ":tx"));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                System.gc();
                return loop.isDone();
              });
      assertThat(loop.get()).containsExactly("a", "b");
      assertThat(graph.exists(txId)).isFalse();
      assertThat(rx.isDrained()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }
}
