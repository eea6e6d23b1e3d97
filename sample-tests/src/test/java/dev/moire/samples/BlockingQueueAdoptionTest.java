package dev.moire.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.moire.junit.MoireGraph;
import dev.moire.junit.MoireTracked;
import dev.moire.runtime.channel.TrackedBlockingQueue;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Existing code keeps its {@link BlockingQueue}; adopting moire changes one constructor: {@code new
 * ArrayBlockingQueue<>(16)} becomes {@code new TrackedBlockingQueue<>("jobs", 16)}.
 */
@MoireTracked
@Timeout(30)
final class BlockingQueueAdoptionTest {
  /** Unchanged application code: it only knows BlockingQueue. */
  static final class Mailer implements Runnable {
    static final String POISON = "stop";
    private final BlockingQueue<String> outbox;
    int sent;

    Mailer(BlockingQueue<String> outbox) {
      this.outbox = outbox;
    }

    @Override
    public void run() {
      try {
        for (String mail = outbox.take(); !mail.equals(POISON); mail = outbox.take()) {
          sent++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void theMailerDrainsTheOutbox(MoireGraph graph) throws Exception {
    BlockingQueue<String> outbox = new TrackedBlockingQueue<>("outbox", 16); // the one change
    Mailer mailer = new Mailer(outbox);
    Thread t = new Thread(mailer, "mailer");
    t.start();
    await().atMost(Duration.ofSeconds(10)).until(graph.waitingOn("mailer", "outbox"));
    for (int i = 0; i < 50; i++) {
      outbox.put("mail " + i);
    }
    outbox.put(Mailer.POISON);
    t.join();
    assertThat(mailer.sent).isEqualTo(50);
  }
}
