package dev.moire.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.StoredSnapshot;
import dev.moire.samples.bad.KnownBadSamples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same stories without moire-agent (this execution's argLine has none): each still fails, fast
 * where the JVM's own evidence suffices and at its timeout otherwise, with the evidence stored; and
 * the run says how to attach the agent.
 */
final class PlainStoriesWithoutTheAgentTest {
  @TempDir Path dir;

  static Stream<Class<?>> stories() {
    return Stories.all().stream();
  }

  @Test
  void theAgentIsNotAttached() {
    assertThat(System.getProperty("moire.agent")).isNull();
  }

  @ParameterizedTest
  @MethodSource("stories")
  @Timeout(60)
  void fails_fastOnTheJvmsEvidence_orAtItsTimeout_withTheEvidenceStored(Class<?> story) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    KnownBadSamples.Outcome outcome;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      outcome = KnownBadSamples.run(story, dir);
    } finally {
      System.setErr(saved);
    }
    Throwable failure = outcome.failure().orElseThrow();
    if (failure instanceof DeadlockDetectedError) {
      // Seen through the JVM: every thread of the test parked in the JDK, nothing moving.
      assertThat(failure.getMessage())
          .startsWith("moire found a stall: ")
          .contains("outside moire");
      assertThat(outcome.took()).isLessThan(Duration.ofSeconds(3));
      if (story == CopyJobsStory.class) {
        assertThat(Stories.readme().stream().map(Stories::normalized))
            .as("the README quotes it")
            .contains(Stories.normalized(outcome.firstLine()));
      }
    } else {
      assertThat(failure).isInstanceOf(TimeoutException.class);
    }
    try (MoireStore store = MoireStore.openReadOnly(dir.resolve("moire.db"))) {
      List<StoredSnapshot> mine =
          store.snapshots().stream().filter(s -> s.test().contains(story.getName())).toList();
      assertThat(mine).as("%s's evidence in the store", story.getSimpleName()).isNotEmpty();
      assertThat(store.snapshot(mine.get(0).snapshotId()).threads()).isNotEmpty();
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("moire: moire-agent is not attached")
        .contains("-javaagent:${dev.moire:moire-agent:jar}");
  }
}
