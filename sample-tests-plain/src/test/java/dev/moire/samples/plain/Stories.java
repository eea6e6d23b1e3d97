package dev.moire.samples.plain;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.samples.bad.KnownBadSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** The plain-JDK stories, and a way to run one through the test kit. */
final class Stories {
  private Stories() {}

  /** Every story: the known-bad samples' plain-JDK twins. */
  static List<Class<?>> all() {
    return List.of(
        CopyJobsStory.class,
        CacheWarmerStory.class,
        AuditPipelineStory.class,
        QuoteClientStory.class,
        ReportServiceStory.class,
        RegionCacheStory.class);
  }

  /** The README's lines (the module's tests run in sample-tests-plain/). */
  static List<String> readme() {
    try {
      return java.nio.file.Files.readAllLines(Path.of("..", "README.md"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A message with what varies between runs (times, identity hashes) made constant. */
  static String normalized(String message) {
    return message.replaceAll("\\d+ ms", "N ms").replaceAll("@[0-9a-f]+", "@HASH");
  }

  /** Runs one story with its store and report in {@code dir}; returns how it ended. */
  static KnownBadSamples.Outcome run(Class<?> story, Path dir) {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameter("moire.store", dir.resolve("moire.db").toString())
            .configurationParameter("moire.report.dir", dir.resolve("report").toString())
            .selectors(selectClass(story))
            .execute();
    List<Event> finished =
        results.testEvents().list().stream()
            .filter(e -> e.getType() == EventType.FINISHED)
            .toList();
    if (finished.size() != 1) {
      throw new AssertionError(story.getSimpleName() + " ran " + finished.size() + " tests");
    }
    Event end = finished.get(0);
    Event start =
        results.testEvents().list().stream()
            .filter(e -> e.getType() == EventType.STARTED)
            .findFirst()
            .orElseThrow();
    Optional<Throwable> failure =
        end.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable);
    return new KnownBadSamples.Outcome(
        story, failure, Duration.between(start.getTimestamp(), end.getTimestamp()));
  }
}
