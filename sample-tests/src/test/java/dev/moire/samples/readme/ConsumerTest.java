package dev.moire.samples.readme;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import dev.moire.junit.MoireAssertions;
import dev.moire.junit.MoireGraph;
import dev.moire.junit.MoireTracked;
import dev.moire.runtime.channel.TrackedLinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's "look at the graph" snippet, as a test that runs in the build and passes. */
@MoireTracked
class ConsumerTest {
  private final BlockingQueue<String> jobs = new TrackedLinkedBlockingQueue<>("jobs");
  private Thread consumer;

  private void startConsumer(BlockingQueue<String> queue) {
    consumer =
        new Thread(
            () -> {
              try {
                while (!queue.take().equals("stop")) {
                  // work
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "consumer");
    consumer.start();
  }

  @AfterEach
  void stopConsumer() throws InterruptedException {
    jobs.put("stop");
    consumer.join();
  }

  // readme:begin consumer-test
  @Test
  void consumer_waitsForWork(MoireGraph graph) throws Exception { // a parameter of tracked tests
    startConsumer(jobs);
    await().atMost(5, SECONDS).until(graph.waitingOn("jobs")); // no sleeping for a state
    MoireAssertions.assertThat(graph.snapshot())
        .hasNoDeadlocks()
        .hasNoDanglingReceivers()
        .task("consumer")
        .isWaitingOn("jobs");
  }
  // readme:end
}
