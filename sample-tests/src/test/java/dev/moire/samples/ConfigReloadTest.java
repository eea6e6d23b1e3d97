package dev.moire.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.moire.junit.MoireGraph;
import dev.moire.junit.MoireTracked;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.WatchChannel;
import dev.moire.runtime.channel.WatchReceiver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A service reloads its settings whenever the watched configuration changes. */
@MoireTracked
@Timeout(30)
final class ConfigReloadTest {
  record Settings(int maxConnections) {}

  @Test
  void theServiceSeesEveryReload(MoireGraph graph) throws Exception {
    WatchChannel<Settings> config = Channels.watch("settings", new Settings(10));
    List<Integer> applied = new CopyOnWriteArrayList<>();
    WatchReceiver<Settings> subscription = config.receiver();
    Thread service =
        new Thread(
            () -> {
              try (WatchReceiver<Settings> rx = subscription) {
                applied.add(rx.borrowAndUpdate().maxConnections());
                while (rx.changed()) {
                  applied.add(rx.borrowAndUpdate().maxConnections());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "service");
    service.start();
    for (int max : new int[] {20, 40}) {
      // Publish only once the service is parked on the watch: no reload is coalesced away.
      await().atMost(Duration.ofSeconds(10)).until(graph.waitingOn("service", "settings"));
      config.sender().send(new Settings(max));
    }
    await().atMost(Duration.ofSeconds(10)).until(graph.waitingOn("service", "settings"));
    config.sender().close();
    service.join();
    assertThat(applied).containsExactly(10, 20, 40);
  }
}
