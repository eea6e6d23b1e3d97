package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.model.Entity;
import dev.moire.runtime.channel.TrackedBlockingQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Entities are named as the user wrote them within each test: the second and third tests of a class
 * that each create {@code jobs} find it as {@code jobs}, run one after another or in parallel; a
 * second {@code jobs} within one test is {@code jobs#2}.
 */
@Timeout(120)
final class NamesTest {
  @TempDir Path dir;

  /** The names each test saw, by test. */
  static final ConcurrentHashMap<String, List<String>> SEEN = new ConcurrentHashMap<>();

  @MoireTracked
  static final class EveryTestCreatesJobsTestCase {
    @RepeatedTest(3)
    void consumer_waitsForJobs(MoireGraph graph, org.junit.jupiter.api.RepetitionInfo rep)
        throws Exception {
      BlockingQueue<String> jobs = new TrackedBlockingQueue<>("jobs", 4);
      BlockingQueue<String> second = new TrackedBlockingQueue<>("jobs", 4);
      Thread consumer =
          new Thread(
              () -> {
                try {
                  jobs.poll(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      consumer.start();
      await().atMost(Duration.ofSeconds(10)).until(graph.waitingOn("jobs"));
      SEEN.put(
          "repetition " + rep.getCurrentRepetition(),
          graph.snapshot().entities().stream()
              .map(Entity::name)
              .filter(n -> n.startsWith("jobs"))
              .distinct()
              .sorted()
              .toList());
      jobs.put("work");
      consumer.join();
      assertThat(second.isEmpty()).isTrue();
    }
  }

  @Test
  void everyTestOfAClass_findsItsQueueByTheNameItGave_sequentially() {
    SEEN.clear();
    EngineExecutionResults results = Kit.run(dir, selectClass(EveryTestCreatesJobsTestCase.class));
    assertThat(results.testEvents().failed().list()).isEmpty();
    assertThat(results.testEvents().succeeded().count()).isEqualTo(3);
    assertThat(SEEN)
        .hasSize(3)
        .allSatisfy((test, names) -> assertThat(names).containsExactly("jobs", "jobs#2"));
  }

  @Test
  void everyTestOfAClass_findsItsQueueByTheNameItGave_inParallel() {
    SEEN.clear();
    EngineExecutionResults results =
        Kit.run(
            dir,
            selectClass(EveryTestCreatesJobsTestCase.class),
            "junit.jupiter.execution.parallel.enabled",
            "true",
            "junit.jupiter.execution.parallel.mode.default",
            "concurrent");
    assertThat(results.testEvents().failed().list()).isEmpty();
    assertThat(results.testEvents().succeeded().count()).isEqualTo(3);
    assertThat(SEEN)
        .hasSize(3)
        .allSatisfy((test, names) -> assertThat(names).containsExactly("jobs", "jobs#2"));
  }
}
