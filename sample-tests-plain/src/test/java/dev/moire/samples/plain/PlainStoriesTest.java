package dev.moire.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.samples.bad.KnownBadSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With moire-agent attached (this execution's argLine, as the README shows): every plain-JDK story
 * fails in under a second with its tracked twin's finding.
 */
final class PlainStoriesTest {
  @TempDir Path dir;

  static Stream<Class<?>> stories() {
    return Stories.all().stream();
  }

  /**
   * What each explanation must say: the resource by the name of its field, with the user's line,
   * and who holds it or would act on it: the semaphore's holders, where the latch was counted down
   * (and so where its missing count was meant to come from), the queue's consumer, where futures of
   * the stuck one's line were completed (its would-be completer), where a monitor stuck in {@code
   * Object.wait} was notified and where the thread someone joins was started.
   */
  static final Map<Class<?>, List<String>> EXPLAINS =
      Map.of(
          CopyJobsStory.class,
          List.of(
              "thread 'copy-job-a' waits on semaphore 'CopyJobs.connections' (CopyJobs.java:22),"
                  + " held by thread 'copy-job-a' and thread 'copy-job-b'"),
          CacheWarmerStory.class,
          List.of(
              "waiting on latch 'CacheWarmer.warmedUp' (CacheWarmer.java:35), 1 count to come,"
                  + " counted down at CacheWarmer.java:30 by thread 'warm-up-0' and thread"
                  + " 'warm-up-2'"),
          AuditPipelineStory.class,
          List.of(
              "waits on sender of channel 'AuditPipeline.entries' (AuditPipeline.java:24), which is"
                  + " full",
              "used by thread 'auditor', which waits on lock 'AuditPipeline.ledger'"
                  + " (AuditPipeline.java:35), held by task 'recordAndAudit()'"),
          QuoteClientStory.class,
          List.of(
              // The two futures are 'reply' and 'reply#2', numbered in the order the graph first
              // sees them: the first may be completed before it is ever seen.
              "'main' WAITING waiting on future 'reply",
              "(QuoteClientStory.java:30), created at QuoteClient.java:16; others made there were"
                  + " completed at QuoteClient.java:25 by thread 'network'"),
          ReportServiceStory.class,
          List.of(
              "'main' WAITING waiting on task of executor 'ReportService.reports' submitted at"
                  + " ReportService.java:16 (ReportService.java:16), running on 'pool-",
              "WAITING waiting on task of executor 'ReportService.reports' submitted at"
                  + " ReportService.java:20 (ReportService.java:21), queued and not started: the"
                  + " executor has no free thread ('pool-"),
          RegionCacheStory.class,
          List.of(
              "task 'aCacheMiss()' waits on lock 'RegionCache.lock' (RegionCache.java:22), held by"
                  + " task 'aCacheMiss()'"),
          MailboxStory.class,
          List.of(
              "'main' WAITING waiting for thread 'reader', started at MailboxStory.java:36, to end"
                  + " (MailboxStory.java:37)",
              "'reader' WAITING outside moire on java.lang.Object@",
              " in Object.wait (Mailbox.java:23), notified at Mailbox.java:16 by thread"
                  + " 'postman'"));

  /**
   * The first failing tracked test of a JVM pays moire's one-time start of its store and report
   * (SQLite's native library, the layout's classes: about a second here, as for the first of the
   * known-bad samples): one story run first takes it, so that each story's time is its own.
   */
  @BeforeAll
  static void startMoire(@TempDir Path warm) {
    assertThat(KnownBadSamples.run(RegionCacheStory.class, warm).failure()).isPresent();
  }

  @Test
  void theAgentIsAttached() {
    assertThat(System.getProperty("moire.agent")).isNotNull();
    // This very class is rewritten: a plain Semaphore made here is the drop-in.
    Object permits = new java.util.concurrent.Semaphore(1);
    assertThat(permits.getClass().getName()).isEqualTo("dev.moire.runtime.sync.TrackedSemaphore");
  }

  @ParameterizedTest
  @MethodSource("stories")
  @Timeout(60)
  void fails_inUnderASecond_withItsTwinsFinding(Class<?> story) {
    KnownBadSamples.Outcome outcome = KnownBadSamples.run(story, dir);
    System.out.println(
        story.getSimpleName()
            + " "
            + outcome.took().toMillis()
            + " ms: "
            + outcome.failure().map(Throwable::getMessage).orElse("(passed)"));
    assertThat(outcome.failure()).get().isInstanceOf(DeadlockDetectedError.class);
    assertThat(outcome.asExpected()).as(outcome.firstLine()).isTrue();
    assertThat(outcome.took()).isLessThan(Duration.ofSeconds(1));
    assertThat(outcome.failure().get().getMessage()).contains(EXPLAINS.get(story));
    if (story == CopyJobsStory.class) {
      assertThat(Stories.readme()).as("the README quotes it").contains(outcome.firstLine());
    }
  }
}
